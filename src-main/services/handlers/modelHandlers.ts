import type { ServiceContext } from '../serviceContext.js';
import type { Services } from '../services.js';
import type { AreaHandlers } from './handlerTypes.js';

/** Stage 2 model bundles: list, details, import (from a path or an upload), removal. */
export function modelHandlers(ctx: ServiceContext, { models }: Services): AreaHandlers<'models.list' | 'models.get' | 'models.import' | 'models.remove'> {
  return {
    'models.list': () => models.list(),

    'models.get': (request) => models.get(request.id),

    'models.import': async (request, context) => {
      const source = request.source;
      const path = source.kind === 'path' ? source.path : await ctx.uploads.existing(source.uploadId);
      try {
        return await models.import(context.actor, path);
      } finally {
        if (source.kind === 'upload') await ctx.uploads.discard(source.uploadId);
      }
    },

    'models.remove': async (request, context) => {
      await models.remove(context.actor, request.id);
      return { removed: request.id };
    },
  };
}
