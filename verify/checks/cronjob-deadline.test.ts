import { testCheck } from '../testing/broken-cases.js';
import { cronjobDeadline } from './cronjob-deadline.js';

testCheck(cronjobDeadline, [
  {
    title: 'no startingDeadlineSeconds',
    breakIt: (p) => p.remove('CronJob invoices/monthly-billing', 'spec.startingDeadlineSeconds'),
    expect: /set startingDeadlineSeconds/,
  },
]);
