/**
 * Node's flags for the services built on the service kit, in their ConfigMaps as NODE_OPTIONS
 * (the images set none of their own; `npm start` and the benchmarks pass it the same way). Left to
 * itself, V8 sizes its heap from the host's memory, not the pod's limit: its young generation and
 * an old generation that grows long before it collects kept invoice-app far above its live heap
 * after billing and listing many invoices. 8 MiB semi-spaces and a 96 MiB old generation (about
 * three times that live heap) bound both for a few percent more CPU in the collector; smaller
 * semi-spaces promote more and cost both. docs/benchmarks.md (Memory) has the figures.
 */
export const NODE_OPTIONS = '--max-semi-space-size=8 --max-old-space-size=96';
