/**
 * Which constructs an `ecs.SecureService` made, told without importing it (the service imports the
 * checks): its exemptions are its `exemptions` prop, another task definition's its metadata.
 */
import { IConstruct } from 'constructs';

// Symbol.for: another copy of the library in the app marks its services alike.
const SECURE_SERVICE_BRAND = Symbol.for('secure-service.ecs.SecureService');

/** Marks `service` as an `ecs.SecureService`. */
export function brandSecureService(service: IConstruct): void {
  Object.defineProperty(service, SECURE_SERVICE_BRAND, { value: true });
}

/** Whether `construct` is, or is inside, an `ecs.SecureService`. */
export function isInSecureService(construct: IConstruct): boolean {
  return construct.node.scopes.some((scope) => (scope as unknown as Record<symbol, unknown>)[SECURE_SERVICE_BRAND] === true);
}
