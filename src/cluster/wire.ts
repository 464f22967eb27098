// What travels between nodes is JSON; events carry Dates, which JSON would turn into strings.
// A Date is sent as {"$date": ms} and read back as a Date, so a listener gets the same types
// from another node's event as from its own.

export function encode(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, plain: unknown) {
    const raw = this[key];
    return raw instanceof Date ? { $date: raw.getTime() } : plain;
  });
}

export function decode<T>(text: string): T {
  return JSON.parse(text, (_key, value: unknown) =>
    typeof value === 'object' && value !== null && typeof (value as { $date?: unknown }).$date === 'number'
      ? new Date((value as { $date: number }).$date)
      : value,
  ) as T;
}
