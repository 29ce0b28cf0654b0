import type { Db } from '../../db/client.js';

const requestSelect = {
  id: true,
  kind: true,
  role: true,
  organisationId: true,
  status: true,
  decidedBy: true,
  decidedAt: true,
  createdAt: true,
  person: { select: { id: true, name: true, email: true, jobRole: true } },
} as const;

export type AccessRequestRow = NonNullable<Awaited<ReturnType<AccessRequestsRepository['findById']>>>;

export class AccessRequestsRepository {
  constructor(private readonly db: Db) {}

  findById(id: string) {
    return this.db.accessRequest.findUnique({ where: { id }, select: requestSelect });
  }

  findOpen(openKey: string) {
    return this.db.accessRequest.findUnique({ where: { openKey }, select: requestSelect });
  }

  listPending(scopes: string[] | 'all') {
    return this.db.accessRequest.findMany({
      where: { status: 'pending', ...(scopes === 'all' ? {} : { organisationId: { in: scopes } }) },
      orderBy: { createdAt: 'asc' },
      take: 20,
      select: requestSelect,
    });
  }

  pendingFor(personId: string) {
    return this.db.accessRequest.findMany({ where: { personId, status: 'pending' }, select: requestSelect });
  }

  create(data: { personId: string; kind: string; role: string | null; organisationId: string; openKey: string }) {
    return this.db.accessRequest.create({ data, select: requestSelect });
  }

  /** Decides a request only if it is still pending; returns false when someone else was faster (or it is a replay). */
  async decideIfPending(id: string, status: 'approved' | 'declined' | 'withdrawn', decidedBy: string, at: Date): Promise<boolean> {
    const { count } = await this.db.accessRequest.updateMany({
      where: { id, status: 'pending' },
      data: { status, decidedBy, decidedAt: at, openKey: null },
    });
    return count === 1;
  }
}
