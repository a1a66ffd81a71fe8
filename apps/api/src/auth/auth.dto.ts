import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Type } from 'class-transformer';
import { ROLES, type Role } from '../../../../libs/accounts/src/index.js';

export class LoginDto {
  @ApiProperty({ example: 'dispatcher.almaty@taza.example', description: 'email or Kazakh mobile number' })
  @IsString()
  @MinLength(3)
  @MaxLength(254)
  login: string;

  @ApiProperty({ example: 'taza-demo-2026' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password: string;

  @ApiPropertyOptional({ description: 'API clients: return the refresh token in the body instead of a cookie' })
  @IsOptional()
  @IsBoolean()
  refreshTokenInBody?: boolean;
}

export class SignUpDto {
  @ApiPropertyOptional({ example: 'resident@example.kz' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: '+7 701 234 56 78' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  phone?: string;

  @ApiProperty({ description: '8-128 characters, not a common password' })
  @IsString()
  @MaxLength(1024)
  password: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  displayName?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  refreshTokenInBody?: boolean;
}

export class RefreshDto {
  @ApiPropertyOptional({ description: 'API clients; the web app sends the cookie instead' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  refreshToken?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  refreshTokenInBody?: boolean;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MaxLength(1024)
  currentPassword: string;

  @ApiProperty()
  @IsString()
  @MaxLength(1024)
  newPassword: string;
}

export class CreateUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(32)
  phone?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  displayName?: string;

  @ApiProperty()
  @IsString()
  @MaxLength(1024)
  password: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES as Role[], { message: `role must be one of ${ROLES.join(', ')}` })
  role: Role;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'cityId must be a UUID' })
  cityId?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true, message: 'each of districtIds must be a UUID' })
  districtIds?: string[];
}

export class UpdateUserDto {
  @ApiProperty()
  @IsBoolean()
  disabled: boolean;
}

export class UserIdParam {
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string;
}

export class ListUsersQuery {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES as Role[], { message: `role must be one of ${ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'cityId must be a UUID' })
  cityId?: string;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset = 0;
}

export class AuditQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'cityId must be a UUID' })
  cityId?: string;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;

  @ApiPropertyOptional({ description: 'page: entries older than this id' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  beforeId?: string;
}

export class PasswordResetRequestDto {
  @ApiProperty({ description: 'the email (or phone) of the account' })
  @IsString()
  @MinLength(3)
  @MaxLength(254)
  login: string;
}

export class PasswordResetDto {
  @ApiProperty({ description: 'the token from the emailed link' })
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  token: string;

  @ApiProperty()
  @IsString()
  @MaxLength(1024)
  newPassword: string;
}
