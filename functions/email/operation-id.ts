import { createHash } from 'node:crypto';

/**
 * The namespace of this shop's email operation ids (a fixed random UUID): it keeps them apart from
 * UUID v5s anyone else derives from the same names.
 */
export const EMAIL_OPERATION_NAMESPACE = '56ffd777-3052-4f07-b776-0b266801a64a';

/** A name-based UUID (RFC 9562 version 5: SHA-1 of the namespace's bytes and the name). */
export function uuidV5(name: string, namespace: string): string {
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
}

/**
 * The operation id of one email: the same for every delivery of the same event to the same
 * template, so a send retried after a crash between the provider's acceptance and our send-log
 * write is recognised by the provider (ACS's Operation-Id, the local mailbox's file name).
 */
export const sendOperationId = (eventId: string, template: string): string =>
  uuidV5(`${eventId}/${template}`, EMAIL_OPERATION_NAMESPACE);
