/**
 * Builds the Pagefind search index (its extended binary segments Chinese) over the
 * finished site, at the end of `astro build`. Pages opt in with data-pagefind-body.
 */
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

export default function searchIndex(): AstroIntegration {
  return {
    name: 'gpdzc-search-index',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const started = performance.now();
        const pagefind = await import('pagefind');
        const site = fileURLToPath(dir);
        const { index, errors } = await pagefind.createIndex({ forceLanguage: 'zh-cn', excludeSelectors: ['svg', '[data-pagefind-ignore]'] });
        if (!index) throw new Error(`搜索索引创建失败：${errors.join('；')}`);
        logger.info('建立搜索索引（Pagefind）……');
        const added = await index.addDirectory({ path: site });
        if (added.errors.length) throw new Error(`搜索索引出错：${added.errors.join('；')}`);
        const written = await index.writeFiles({ outputPath: `${site}/pagefind` });
        if (written.errors.length) throw new Error(`搜索索引写入出错：${written.errors.join('；')}`);
        await pagefind.close();
        logger.info(`搜索索引：${added.page_count} 个页面，用时 ${((performance.now() - started) / 1000).toFixed(1)} 秒`);
      },
    },
  };
}
