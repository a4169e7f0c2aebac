// The peer of bench/bench_peer.py: DEFRA's forms engine (@defra/forms-engine-plugin, from the
// npm registry) registered on a plain hapi server, serving one form definition from a JSON file.
// Sessions live in memory (catbox-memory, as the engine's own tests run), CSRF is off (the
// yijian side checks Sec-Fetch-Site, not a token), and request logging is silenced: the
// benchmark measures form rendering and answer handling, not a logger.
//
//   PORT=3009 FORM=/path/bench-peer.json node server.js
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'

import { Engine as CatboxMemory } from '@hapi/catbox-memory'
import crumb from '@hapi/crumb'
import hapi from '@hapi/hapi'
import yar from '@hapi/yar'
import engine from '@defra/forms-engine-plugin'
import { FileFormService } from '@defra/forms-engine-plugin/file-form-service.js'
import * as services from '@defra/forms-engine-plugin/services/index.js'
import hapiPino from 'hapi-pino'

const file = process.env.FORM
const slug = basename(file, '.json')
const who = { id: 'bench', displayName: 'bench' }
const when = { createdAt: new Date(), createdBy: who, updatedAt: new Date(), updatedBy: who }
const forms = new FileFormService()
await forms.addForm(file, {
  ...when,
  id: '00000000-0000-4000-8000-000000000001',
  title: JSON.parse(readFileSync(file, 'utf8')).name,
  slug,
  organisation: 'Defra',
  teamName: 'bench',
  teamEmail: 'bench@example.org',
  notificationEmail: 'bench@example.org',
  live: when
})
const server = hapi.server({
  port: Number(process.env.PORT ?? 3009),
  host: '127.0.0.1',
  router: { stripTrailingSlash: true },
  cache: [{ name: 'session', engine: new CatboxMemory() }]
})
await server.register({ plugin: hapiPino, options: { level: process.env.PEER_LOG ?? 'silent', logRequestComplete: false } })
await server.register({
  plugin: yar,
  options: {
    maxCookieSize: 0,
    cache: { cache: 'session', segment: 'session', expiresIn: 3600_000 },
    cookieOptions: { password: 'bench-peer-cookie-password-at-least-32-chars', isSecure: false }
  }
})
await server.register({ plugin: crumb, options: { enforce: false, cookieOptions: { isSecure: false } } })
await server.register({
  plugin: engine,
  options: {
    services: { ...services, formsService: forms.toFormsService() },
    cache: 'session',
    nunjucks: { baseLayoutPath: 'layout.html', paths: [new URL('.', import.meta.url).pathname] },
    viewContext: () => ({}),
    baseUrl: 'http://127.0.0.1'
  }
})
await server.start()
console.log(`peer ready ${server.info.uri}/${slug}`)
