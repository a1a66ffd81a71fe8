import { DomainError } from '../../core/src/index.js';

export class OgcError extends DomainError {}

export const OgcErrors = {
  unknownCollection: (id: string) => new OgcError('not_found', 'ogc.unknown_collection', `There is no collection "${id}"; GET /ogc/collections lists them.`),
  unknownFeature: (collection: string, id: string) => new OgcError('not_found', 'ogc.unknown_feature', `The collection "${collection}" has no feature "${id}".`),
  param: (param: string, message: string) => new OgcError('invalid', 'ogc.invalid_parameter', `${param}: ${message}.`, [{ field: param, message }]),
};
