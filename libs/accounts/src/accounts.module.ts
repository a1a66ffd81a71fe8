import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '../../core/src/index.js';
import { NotificationsModule } from '../../notifications/src/index.js';
import { AccountsService } from './accounts.service.js';
import { AuditRepository } from './audit.repository.js';
import { SessionsRepository } from './sessions.repository.js';
import { UsersRepository } from './users.repository.js';

@Module({
  imports: [
    NotificationsModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ secret: config.JWT_SECRET, signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  providers: [UsersRepository, SessionsRepository, AuditRepository, AccountsService],
  exports: [AccountsService],
})
export class AccountsModule {}
