/**
 * Building DOM without HTML: every string becomes a text node (log text is attacker-controlled;
 * nothing here ever assigns innerHTML).
 */
export type Child = Node | string | number | null | undefined | false;
export interface Attrs {
  class?: string;
  title?: string;
  id?: string;
  type?: string;
  role?: string;
  tabindex?: string;
  placeholder?: string;
  value?: string;
  href?: string;
  /** only same-origin relative URLs, like href */
  src?: string;
  alt?: string;
  target?: '_blank';
  rel?: string;
  download?: string;
  name?: string;
  disabled?: boolean;
  checked?: boolean;
  for?: string;
  step?: string;
  autocomplete?: string;
  'aria-label'?: string;
  'aria-selected'?: string;
  'aria-expanded'?: string;
  dataset?: Record<string, string>;
  on?: Partial<{ [K in keyof HTMLElementEventMap]: (ev: HTMLElementEventMap[K]) => void }>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'on') {
        for (const [ev, fn] of Object.entries(v as Record<string, EventListener>)) el.addEventListener(ev, fn);
      } else if (k === 'dataset') {
        for (const [dk, dv] of Object.entries(v as Record<string, string>)) el.dataset[dk] = dv;
      } else if (k === 'class') {
        el.className = String(v);
      } else if (k === 'value') {
        (el as HTMLInputElement).value = String(v);
      } else if (k === 'checked') {
        (el as HTMLInputElement).checked = Boolean(v);
      } else if (k === 'href' || k === 'src') {
        const s = String(v);
        // only our own relative links: never javascript: or any other scheme
        if (s.startsWith('/') && !s.startsWith('//')) el.setAttribute(k, s);
      } else {
        el.setAttribute(k, v === true ? '' : String(v));
      }
    }
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function clear(el: Node): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function replace(el: Node, ...children: Child[]): void {
  clear(el);
  append(el, children);
}
