import FindMyWay from 'find-my-way';

/**
 * Which methods each path of a service answers, for `405 Method Not Allowed` with its `Allow`
 * header. Every route pattern goes into a router of its own, methods aside, so a path finds the
 * pattern Fastify would prefer for it whatever the method: `/rest/v1/invoices/pay` is the static
 * pay route (POST), not `/rest/v1/invoices/:id` with the id "pay".
 */
export class AllowedMethods {
  private readonly router = FindMyWay();
  private readonly methods = new Map<string, Set<string>>();

  /** Records a route as Fastify's `onRoute` hook sees it. */
  add(method: string | string[], url: string): void {
    let known = this.methods.get(url);
    if (known === undefined) {
      known = new Set();
      this.methods.set(url, known);
      this.router.on('GET', url, () => undefined, { url });
    }
    for (const one of [method].flat()) known.add(one.toUpperCase());
  }

  /** The methods of the route pattern that best matches `url` (its query string ignored), sorted; none if no route matches. */
  of(url: string): string[] {
    const path = url.split('?', 1)[0] ?? url;
    const found = this.router.find('GET', path) as { store?: { url: string } } | null;
    const known = found?.store === undefined ? undefined : this.methods.get(found.store.url);
    return known === undefined ? [] : [...known].sort();
  }
}
