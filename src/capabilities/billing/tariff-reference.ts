// The check other capabilities' APIs run on a tariffId they are given (stations, sites).

import { badRequest } from '../../api/problem.js';
import type { Executor } from '../../storage/database.js';
import { tariffExists } from './tariff-store.js';

/**
 * Throws a 400 naming the field when `tariffId` is set but names no tariff of `tenantId`; null
 * and undefined pass. Another tenant's tariff gets the very answer a missing one gets.
 */
export async function checkTariffReference(db: Executor, tenantId: number, tariffId: string | null | undefined, field = '/tariffId'): Promise<void> {
  if (tariffId && !(await tariffExists(db, tenantId, tariffId))) {
    throw badRequest(`tariffId "${tariffId}" is not a tariff: create it with POST /api/v1/tariffs first`, { field });
  }
}
