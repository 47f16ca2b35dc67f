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

/**
 * glibc's allocator settings for the same services, beside NODE_OPTIONS (the images are Debian's,
 * on glibc; another C library ignores them). Left to itself, glibc keeps an arena per thread, and
 * once a large block is freed it serves blocks of that size from its heaps rather than mapping
 * them: the buffers of a long streamed listing, and what V8's background threads allocate, then
 * stay resident after they are freed. Two arenas and a fixed 128 KiB threshold, above which a block
 * is mapped on its own and unmapped when freed, give that memory back at no measurable CPU cost.
 */
export const MALLOC_SETTINGS: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '131072',
};

/** The runtime variables of a service on the service kit: its NODE_OPTIONS and MALLOC_SETTINGS. */
export function nodeRuntimeEnv(nodeOptions: string = NODE_OPTIONS): Record<string, string> {
  return { NODE_OPTIONS: nodeOptions, ...MALLOC_SETTINGS };
}
