import { describeAnomalyModelStoreContract } from './anomaly-model-store-contract.js';
import { MemoryAnomalyModelStore } from './memory-anomaly-model-store.js';

describeAnomalyModelStoreContract('memory', async () => ({ store: new MemoryAnomalyModelStore() }));
