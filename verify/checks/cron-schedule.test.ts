import { testCheck } from '../testing/broken-cases.js';
import { cronSchedule } from './cron-schedule.js';

testCheck(cronSchedule, [
  {
    title: 'six fields (seconds)',
    breakIt: (p) => p.set('CronJob invoices/monthly-billing', 'spec.schedule', '0 0 0 1 * *'),
    expect: /needs 5 fields .* has 6/,
  },
  {
    title: 'minute 61',
    breakIt: (p) => p.set('CronJob invoices/monthly-billing', 'spec.schedule', '61 0 1 * *'),
    expect: /"61 0 1 \* \*": .*61/,
  },
  {
    title: 'a time zone in the schedule',
    breakIt: (p) => p.set('CronJob invoices/monthly-billing', 'spec.schedule', 'CRON_TZ=UTC 0 0 1 * *'),
    expect: /cannot use TZ or CRON_TZ in schedule/,
  },
  {
    title: 'a Quartz-only extension',
    breakIt: (p) => p.set('CronJob invoices/monthly-billing', 'spec.schedule', '0 0 L * *'),
    expect: /L, W and # are not supported/,
  },
  {
    title: 'an unknown time zone',
    breakIt: (p) => p.set('CronJob invoices/monthly-billing', 'spec.timeZone', 'Mars/Olympus_Mons'),
    expect: /unknown time zone "Mars\/Olympus_Mons"/,
  },
]);
