import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUUID, Matches, MaxLength } from 'class-validator';

export class CreateOpen311ClientDto {
  @ApiProperty({ example: 'City call centre', maxLength: 100 })
  @IsString({ message: 'name must be text' })
  @Matches(/\S/, { message: 'name must not be empty' })
  @MaxLength(100, { message: 'name must be at most 100 characters' })
  name: string;
}

export class Open311ClientIdParam {
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string;
}
