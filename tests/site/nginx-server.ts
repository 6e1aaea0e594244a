/**
 * A real nginx (Debian's package; scripts/ensure-chromium.sh installs it) on a loopback port,
 * unprivileged, with its own prefix and temp paths, serving a publishing target's `current`
 * with the very rules production uses: the map of deploy/nginx.conf, taken verbatim, and the
 * server block's rules included from deploy/gpdzc-site.conf, as production includes them.
 * Only the listen address, root and paths differ (production: 443 with TLS, /srv/gpdzc).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PRODUCTION_CONF = path.join(ROOT, 'deploy/nginx.conf');
const SITE_RULES = path.join(ROOT, 'deploy/gpdzc-site.conf');

/** The nginx binary: NGINX_PATH, else Debian's. */
function nginxBinary(): string {
  const candidates = [process.env.NGINX_PATH, '/usr/sbin/nginx', '/usr/bin/nginx'].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error('没有找到 nginx：运行 bash scripts/ensure-chromium.sh（以 root）安装，或设置 NGINX_PATH');
  return found;
}

/** The `map $uri $gpdzc_cache_control { … }` block of deploy/nginx.conf, as written there. */
function productionCacheMap(): string {
  const text = readFileSync(PRODUCTION_CONF, 'utf8');
  const m = /^map \$uri \$gpdzc_cache_control \{\n[\s\S]*?^\}\n/m.exec(text);
  if (!m) throw new Error('deploy/nginx.conf 里没有找到 map $uri $gpdzc_cache_control { … }');
  return m[0];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface Nginx {
  url: string;
  port: number;
  conf: string;
  stop(): Promise<void>;
}

/** Start nginx in `work` (its prefix) serving `<target>/current`, falling back to `<target>/previous`, then `<target>/older`, as production does. */
export async function startNginx(work: string, target: string): Promise<Nginx> {
  const bin = nginxBinary();
  mkdirSync(path.join(work, 'logs'), { recursive: true });
  mkdirSync(path.join(work, 'snippets'), { recursive: true });
  copyFileSync(SITE_RULES, path.join(work, 'snippets/gpdzc-site.conf'));
  const mime = ['/etc/nginx/mime.types', path.join(path.dirname(bin), '../conf/mime.types')].find((p) => existsSync(p));
  const port = await freePort();
  const tmp = (name: string) => path.join(work, name);
  const conf = path.join(work, 'nginx.conf');
  writeFileSync(
    conf,
    `# test server: deploy/nginx.conf's map and deploy/gpdzc-site.conf's rules, on 127.0.0.1:${port}
worker_processes 1;
${process.getuid?.() === 0 ? 'user root;\n' : ''}error_log ${tmp('logs/error.log')} warn;
pid ${tmp('nginx.pid')};
events { worker_connections 256; }
http {
  ${mime ? `include ${mime};` : ''}
  default_type application/octet-stream;
  access_log ${tmp('logs/access.log')};
  client_body_temp_path ${tmp('client_body')};
  proxy_temp_path ${tmp('proxy')};
  fastcgi_temp_path ${tmp('fastcgi')};
  uwsgi_temp_path ${tmp('uwsgi')};
  scgi_temp_path ${tmp('scgi')};
${productionCacheMap()}
  server {
    listen 127.0.0.1:${port};
    server_name localhost;
    root ${path.join(target, 'current')};
    set $gpdzc_previous_root ${path.join(target, 'previous')};
    set $gpdzc_older_root ${path.join(target, 'older')};
    index index.html;
    server_tokens off;
    include snippets/gpdzc-site.conf;
  }
}
`,
  );
  const test = spawnSync(bin, ['-t', '-p', work, '-c', conf, '-e', tmp('logs/error.log')], { encoding: 'utf8' });
  if (test.status !== 0) throw new Error(`nginx -t 未通过：\n${test.stderr}`);
  const child: ChildProcess = spawn(bin, ['-p', work, '-c', conf, '-e', tmp('logs/error.log'), '-g', 'daemon off; master_process on;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await fetch(`${url}/`, { signal: AbortSignal.timeout(1000) });
      break;
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`nginx 没有启动：${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    port,
    conf,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.on('exit', () => resolve());
        child.kill('SIGQUIT');
      }),
  };
}
