import Type from 'typebox';

/** Largest id: ids are 32-bit integers, as in Antaeus. */
export const MAX_ID = 2_147_483_647;

/** Path parameters of a route addressed by id; anything but a positive integer is a 400. */
export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: MAX_ID }) });
