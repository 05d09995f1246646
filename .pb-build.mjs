import { build } from 'esbuild';
const ext = ['@aws-sdk/credential-provider-ini','@aws-sdk/credential-provider-sso','@aws-sdk/credential-provider-process','@aws-sdk/credential-provider-web-identity','@aws-sdk/credential-provider-http','@aws-sdk/credential-provider-login','@smithy/credential-provider-imds'];
const files = process.argv.slice(2);
for (const f of files) {
  const r = await build({ entryPoints: [f], bundle: true, platform: 'node', format: 'esm', target: 'node24', minify: true, mainFields: ['module','main'], external: ext, write: false, metafile: true, outfile: '/tmp/pb/out.mjs',
   banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" } });
  const bytes = r.outputFiles[0].contents.length;
  const by = {};
  for (const [p, i] of Object.entries(Object.values(r.metafile.outputs)[0].inputs)) {
    const m = p.match(/node_modules\/((@[^/]+\/)?[^/]+)/); const k = m ? m[1] : 'src';
    by[k] = (by[k] ?? 0) + i.bytesInOutput;
  }
  const top = Object.entries(by).sort((a,b)=>b[1]-a[1]).slice(0,8).map(([k,v])=>`${k}=${(v/1024).toFixed(0)}`).join(' ');
  console.log(f.split('/').pop().padEnd(26), (bytes/1024).toFixed(1).padStart(7), top);
}
