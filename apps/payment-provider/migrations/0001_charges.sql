-- Up Migration
-- The ledger: one row per charge the provider decided, charged or declined. It is the truth
-- against which "charged at most once" is checked, so rows are only ever added.
CREATE TABLE charges (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- UNIQUE makes the database, not process memory, pick the one charge among racing requests
  -- (across replicas too); rows without a key are each a charge of their own (NULLs are distinct).
  idempotency_key text UNIQUE CHECK (char_length(idempotency_key) BETWEEN 1 AND 255),
  -- SHA-256 of the canonical request: a reused key with a different request is refused.
  request_hash text NOT NULL,
  invoice_id bigint,
  customer_id bigint NOT NULL,
  amount numeric(12, 2) NOT NULL CHECK (amount > 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  result boolean NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- GET /rest/v1/charges?invoice_id=N pages through one invoice's charges in id order.
CREATE INDEX charges_invoice_id_idx ON charges (invoice_id, id);

-- Down Migration
DROP TABLE charges;
