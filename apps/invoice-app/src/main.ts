import { runService } from '@billing/service-kit';
import { buildApp } from './app.js';
import { loadInvoiceConfig } from './config.js';
import { seedDatabase } from './seed.js';

await runService({
  loadConfig: () => loadInvoiceConfig(),
  buildApp,
  afterMigrations: async (app, config) => {
    if (config.SEED_CUSTOMERS === undefined) return;
    const seeded = await seedDatabase(app.db, {
      customers: config.SEED_CUSTOMERS,
      invoicesPerCustomer: config.SEED_INVOICES_PER_CUSTOMER,
    });
    app.log.info(
      { customers: config.SEED_CUSTOMERS, invoicesPerCustomer: config.SEED_INVOICES_PER_CUSTOMER },
      seeded ? 'seeded an empty database' : 'database already has data; not seeding',
    );
  },
});
