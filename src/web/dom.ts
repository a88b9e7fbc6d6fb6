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
  const focus = root.querySelector<HTMLElement>('[autofocus]');
  focus?.focus();
}
