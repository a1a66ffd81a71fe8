import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccountsService, type UserPrincipal } from '../../accounts/src/index.js';
import { AppConfig } from '../../core/src/index.js';
import { Open311ClientsRepository, type Open311ClientRow } from './open311-clients.repository.js';
import { Open311Errors } from './open311.errors.js';

export const DEMO_OPEN311_CLIENT = { name: 'Demo Open311 client', apiKey: 'taza-demo-open311-key' } as const;

/** Longest api_key we look up; real keys are 46 characters. */
const MAX_KEY_LENGTH = 200;

export interface Open311ClientView {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revoked: boolean;
  revokedAt: Date | null;
}

function keyHash(apiKey: string): Buffer {
  return createHash('sha256').update(apiKey).digest();
}

function view(c: Open311ClientRow): Open311ClientView {
  return { id: c.id, name: c.name, createdAt: c.createdAt, lastUsedAt: c.lastUsedAt, revoked: c.revokedAt !== null, revokedAt: c.revokedAt };
}

/** Open311 clients: admins issue and revoke API keys; POSTs present them. */
@Injectable()
export class Open311ClientsService {
  private readonly logger = new Logger(Open311ClientsService.name);

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Open311ClientsRepository) private readonly clients: Open311ClientsRepository,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** A new client; its key is returned this once and stored only as a hash. */
  async issue(actor: UserPrincipal, name: string, requestId?: string | null): Promise<Open311ClientView & { apiKey: string }> {
    const apiKey = `taza_o311_${randomBytes(27).toString('base64url')}`;
    return this.dataSource.transaction(async (manager) => {
      const row = await this.clients.insert(manager, { name: name.trim(), keyHash: keyHash(apiKey), createdBy: actor.userId });
      await this.accounts.recordAudit(
        manager, actor, { action: 'open311_client.created', objectType: 'open311_client', objectId: row.id, cityId: null, before: null, after: view(row) }, requestId,
      );
      return { ...view(row), apiKey };
    });
  }

  async list(): Promise<Open311ClientView[]> {
    return (await this.clients.list()).map(view);
  }

  /** Revokes a key: refused from the next request on. Revoking twice changes nothing. */
  async revoke(actor: UserPrincipal, id: string, requestId?: string | null): Promise<Open311ClientView> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.clients.get(manager, id);
      if (!before) throw Open311Errors.clientNotFound();
      if (before.revokedAt) return view(before);
      const after = await this.clients.revoke(manager, id);
      await this.accounts.recordAudit(
        manager, actor, { action: 'open311_client.revoked', objectType: 'open311_client', objectId: id, cityId: null, before: view(before), after: view(after) }, requestId,
      );
      return view(after);
    });
  }

  /** The client id behind a live api_key, or the spec's 403. */
  async authenticate(apiKey: unknown): Promise<string> {
    if (typeof apiKey !== 'string' || apiKey.length === 0 || apiKey.length > MAX_KEY_LENGTH) throw Open311Errors.apiKey();
    const id = await this.clients.useKey(keyHash(apiKey));
    if (!id) throw Open311Errors.apiKey();
    return id;
  }

  /** The demo client with its well-known key; only with DEMO_DATA on. A second run adds nothing. */
  async loadDemoClient(): Promise<number> {
    if (!this.config.DEMO_DATA) return 0;
    const created = await this.clients.insertIfMissing({ name: DEMO_OPEN311_CLIENT.name, keyHash: keyHash(DEMO_OPEN311_CLIENT.apiKey) });
    if (created) this.logger.log({ msg: 'demo Open311 client created', name: DEMO_OPEN311_CLIENT.name });
    return created ? 1 : 0;
  }
}
