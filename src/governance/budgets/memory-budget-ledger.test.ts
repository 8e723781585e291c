import { describeBudgetLedgerContract } from './budget-ledger-contract.js';
import { MemoryBudgetLedger } from './memory-budget-ledger.js';

// In process there is one ledger: the "other replica" is the same instance.
describeBudgetLedgerContract('memory', async (options) => {
  const ledger = new MemoryBudgetLedger(options);
  return { ledger, peer: ledger, dispose: () => ledger.close() };
});
