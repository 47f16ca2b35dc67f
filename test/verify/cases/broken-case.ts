import type { Platform } from '../../../verify/testing/platform.js';

/** One way to break the fixture platform, and the violation the named check must then report. */
export interface BrokenCase {
  readonly check: string;
  readonly title: string;
  readonly breakIt: (platform: Platform) => void;
  /** What the violation's object and message must say. */
  readonly expect: RegExp;
}
