type Attributes = Record<string, string | boolean>;

/** One element with attributes and children; text children are set as text, never parsed as HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) element.setAttribute(name, '');
    else if (value !== false) element.setAttribute(name, value);
  }
  element.append(...children);
  return element;
}

export function show(root: HTMLElement, ...children: Node[]): void {
  root.replaceChildren(...children);
  // A screen without a first field puts focus on its heading, so keyboard and screen-reader users start there, not at the top of the page.
  const heading = root.querySelector<HTMLElement>('h1');
  if (heading && !heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
  (root.querySelector<HTMLElement>('[autofocus]') ?? heading)?.focus();
}
