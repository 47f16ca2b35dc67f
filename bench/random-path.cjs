'use strict';

/**
 * autocannon's setupRequest for the API benchmark, required by its worker thread (a worker takes
 * a function only as a file): each `{lo..hi}` in a request's path becomes a random integer in that
 * range, so that the load spreads over the table.
 */
module.exports = function randomPath(request) {
  return {
    ...request,
    path: request.path.replace(/\{(\d+)\.\.(\d+)\}/g, (_range, lo, hi) =>
      String(Number(lo) + Math.floor(Math.random() * (Number(hi) - Number(lo) + 1))),
    ),
  };
};
