import type { Reader } from '../contract/entities.js';
import { AppError } from '../contract/errors.js';
import type { Db } from './database.js';
import type { Clock } from './clock.js';
import type { AuditLog } from './auditLog.js';

interface ReaderRow {
  id: number;
  code: string;
  display_name: string;
  role: string;
  created_at: string;
}

const toReader = (row: ReaderRow): Reader => ({ id: row.id, code: row.code, displayName: row.display_name, role: row.role, createdAt: row.created_at });

/** Doctors and other readers who assess videos and take part in reader studies. */
export class ReadersRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  list(): Reader[] {
    return (this.db.prepare('SELECT * FROM readers ORDER BY code COLLATE NOCASE').all() as ReaderRow[]).map(toReader);
  }

  findByCode(code: string): Reader | undefined {
    const row = this.db.prepare('SELECT * FROM readers WHERE code = ?').get(code) as ReaderRow | undefined;
    return row ? toReader(row) : undefined;
  }

  getByCode(code: string): Reader {
    const reader = this.findByCode(code);
    if (!reader) throw new AppError('READER_NOT_FOUND', code);
    return reader;
  }

  getById(id: number): Reader {
    const row = this.db.prepare('SELECT * FROM readers WHERE id = ?').get(id) as ReaderRow | undefined;
    if (!row) throw new AppError('READER_NOT_FOUND', `#${id}`);
    return toReader(row);
  }

  create(actor: string, code: string, displayName: string, role: string): Reader {
    return this.db.transaction(() => {
      if (this.findByCode(code)) throw new AppError('READER_CODE_TAKEN', code);
      const info = this.db.prepare('INSERT INTO readers (code, display_name, role, created_at) VALUES (?, ?, ?, ?)').run(code, displayName, role, this.clock());
      const reader = this.getById(Number(info.lastInsertRowid));
      this.audit.record(actor, 'reader.create', 'reader', reader.id, null, reader);
      return reader;
    })();
  }
}
