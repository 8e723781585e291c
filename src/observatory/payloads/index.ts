export { captureRequest, capText, metadataOf, truncationMarker } from './capture-request.js';
export { MemoryPayloadStore } from './memory-payload-store.js';
export { PayloadCapture, type PayloadCaptureOptions, type PayloadPolicy } from './payload-capture.js';
export { payloadModes, type CapturedRequest, type CaptureMode, type PayloadMode, type PayloadStore, type StoredPayload } from './payload-store.js';
export { redactJson, redactText } from './redactor.js';
export { SqlPayloadStore } from './sql-payload-store.js';
export { workspacePayloadModes } from './workspace-payload-modes.js';
