/**
 * Node's flags for the services built on the service kit, in their ConfigMaps as NODE_OPTIONS
 * (the images set the same, and `npm start` and the benchmarks pass it the same way). Left to
 * itself, V8 sizes its heap from the host's memory, not the pod's limit: a young generation of
 * 3 x 16 MiB and an old generation that grows long before it collects put invoice-app at about
 * 200 MiB resident after billing and listing 100,000 invoices, its live heap being about 32 MiB.
 * 8 MiB semi-spaces and a 96 MiB old generation (three times that live heap) keep it near 130 MiB
 * for a few percent more CPU in the collector; smaller semi-spaces promote more and cost both.
 */
export const NODE_OPTIONS = '--max-semi-space-size=8 --max-old-space-size=96';
