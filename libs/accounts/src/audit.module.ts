import { Module } from '@nestjs/common';
import { AuditRepository } from './audit.repository.js';

/** The audit trail, for any domain that records staff actions. */
@Module({ providers: [AuditRepository], exports: [AuditRepository] })
export class AuditModule {}
