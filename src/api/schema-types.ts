// Schema pieces every capability's API uses, so a date or a nullable field reads the same everywhere.

import { Type, type TSchema } from 'typebox';

export const DateTime = Type.String({ format: 'date-time' });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const iso = (at: Date | null) => (at ? at.toISOString() : null);
