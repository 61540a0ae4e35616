import { sourceName, withModelSource } from '../modelImportSource.js';
import type { ServiceContext } from '../serviceContext.js';
import type { Services } from '../services.js';
import type { AreaHandlers } from './handlerTypes.js';

/** Stage 2 model bundles: list, details, import (from a path, an uploaded zip or an uploaded folder), removal. */
export function modelHandlers(ctx: ServiceContext, { models }: Services): AreaHandlers<'models.list' | 'models.get' | 'models.import' | 'models.remove'> {
  return {
    'models.list': () => models.list(),

    'models.get': (request) => models.get(request.id),

    'models.import': (request, context) => withModelSource(ctx.uploads, ctx.store.vault.tempPath('-bundle-folder'), request.source, (path) => models.import(context.actor, path, sourceName(request.source))),

    'models.remove': async (request, context) => {
      await models.remove(context.actor, request.id);
      return { removed: request.id };
    },
  };
}
