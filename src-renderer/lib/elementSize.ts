/** An element's size in CSS pixels, now and whenever it changes (where the browser can say: jsdom has no ResizeObserver). Returns the cleanup. */
export function watchSize(el: Element, onSize: (size: { width: number; height: number }) => void): () => void {
  const measure = () => onSize({ width: el.clientWidth, height: el.clientHeight });
  measure();
  if (typeof ResizeObserver === 'undefined') return () => {};
  const observer = new ResizeObserver(measure);
  observer.observe(el);
  return () => observer.disconnect();
}
