import { describe, expect, it } from 'vitest';
import { createDispatcher, type ServiceHandlers } from '../../../src-main/contract/dispatcher.js';
import { AppError } from '../../../src-main/contract/errors.js';
import { methodNames } from '../../../src-main/contract/methods.js';

const patient = { id: 1, code: 'P1', name: null, sex: 'unknown', birthYear: null, diagnosis: 'unknown', notes: '', createdAt: 't', updatedAt: 't', videoCount: 0 } as const;

function handlersWith(overrides: Partial<ServiceHandlers>): ServiceHandlers {
  const fail = () => {
    throw new Error('not used in this test');
  };
  const all = Object.fromEntries(methodNames.map((m) => [m, fail])) as unknown as ServiceHandlers;
  return { ...all, ...overrides };
}

const context = { transport: 'test', actor: 'tester' } as const;

describe('the generic dispatcher', () => {
  const calls: unknown[] = [];
  const dispatch = createDispatcher(
    handlersWith({
      'patients.create': (request) => {
        calls.push(request);
        return { ...patient, code: request.code };
      },
      'patients.list': () => [{ ...patient, videoCount: 'many' as unknown as number }],
      'patients.get': () => {
        throw new AppError('PATIENT_NOT_FOUND', 'X9');
      },
      'app.info': () => {
        throw new TypeError('boom');
      },
    }),
  );

  it('passes a valid request to the service and returns its reply', async () => {
    const result = await dispatch('patients.create', { code: 'P7', diagnosis: 'ASD' }, context);
    expect(result).toEqual({ ok: true, value: { ...patient, code: 'P7' } });
    expect(calls.at(-1)).toEqual({ code: 'P7', diagnosis: 'ASD' });
  });

  const malformed: Array<[string, unknown, string]> = [
    ['a wrong type', { code: 42 }, 'code'],
    ['an extra field', { code: 'P1', admin: true }, 'admin'],
    ['a huge string', { code: 'P1', notes: 'x'.repeat(20_000) }, 'notes'],
    ['a code with spaces', { code: 'P 1' }, 'letters, digits'],
    ['a label outside the list', { code: 'P1', diagnosis: 'scoliosis' }, 'diagnosis'],
    ['a birth year in the future', { code: 'P1', birthYear: 3000 }, 'future'],
    ['not an object', 'P1', 'expected object'],
  ];
  for (const [what, payload, mentions] of malformed) {
    it(`refuses ${what} with BAD_REQUEST naming the problem, without calling the service`, async () => {
      const before = calls.length;
      const result = await dispatch('patients.create', payload, context);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('BAD_REQUEST');
        expect(result.error.message).toContain(mentions);
        expect(result.error.message.length).toBeLessThan(400);
      }
      expect(calls.length).toBe(before);
    });
  }

  it('refuses an unknown method, including prototype names', async () => {
    for (const name of ['patients.drop', '__proto__', 'constructor', 42]) {
      const result = await dispatch(name, {}, context);
      expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
  });

  it('passes catalogue errors through as code plus sentence', async () => {
    expect(await dispatch('patients.get', { code: 'X9' }, context)).toEqual({
      ok: false,
      error: { code: 'PATIENT_NOT_FOUND', message: 'No patient with code X9 exists.', detail: 'X9' },
    });
  });

  it('turns a bug into INTERNAL without leaking a stack trace', async () => {
    const result = await dispatch('app.info', {}, context);
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    if (!result.ok) expect(result.error.message).not.toContain('at ');
  });

  it('refuses a reply that breaks the contract', async () => {
    const result = await dispatch('patients.list', {}, context);
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});
