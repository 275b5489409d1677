import { constName, isNullExpr } from '../frontend/exprs';
import { DOCS, type RawFinding, fileRule } from '../rule';
import { callsTo } from './support';

const CREATE = new Set(['FltCreateCommunicationPort']);
/** FltCreateCommunicationPort's ConnectNotifyCallback and DisconnectNotifyCallback arguments. */
const CONNECT_ARG = 4;
const DISCONNECT_ARG = 5;

const rule = fileRule({
  id: 'port-not-closed',
  severity: 'error',
  scope: 'file',
  title: 'Client ports never closed',
  why: 'Each connection a user-mode program makes to a minifilter\'s server port gets a client port, which the minifilter must close with FltCloseClientPort — normally in the DisconnectNotify callback it registered with FltCreateCommunicationPort, which the Filter Manager calls when the program closes its handle and before the filter unloads. A driver that never calls FltCloseClientPort leaves every connection\'s port open: the program cannot connect again once MaxConnections is reached, and the ports outlive it.',
  sources: [DOCS.ddi('nf-fltkernel-fltcloseclientport'), DOCS.ddi('nc-fltkernel-pflt_disconnect_notify'), DOCS.ddi('nf-fltkernel-fltcreatecommunicationport')],
  check(ctx) {
    const out: RawFinding[] = [];
    const model = ctx.model;
    if (!model.functionList.some((f) => f.facts.callNames.has('FltCreateCommunicationPort'))) return out;
    const closes = model.functionList.some((f) => f.facts.callNames.has('FltCloseClientPort')) || ctx.foreign.calls.has('FltCloseClientPort');
    if (closes) return out;
    for (const f of model.functionList) {
      if (!f.facts.callNames.has('FltCreateCommunicationPort')) continue;
      const fctx = ctx.functionContext(f.name);
      if (!fctx) continue;
      for (const c of callsTo(fctx, CREATE)) {
        const connect = c.args[CONNECT_ARG];
        // No ConnectNotify, no client port to close (FltCreateCommunicationPort then fails anyway).
        if (!connect || isNullExpr(connect) || constName(connect) === 'NULL') continue;
        const disconnect = c.args[DISCONNECT_ARG];
        const where = disconnect && !isNullExpr(disconnect) && constName(disconnect) !== 'NULL' && disconnect.k === 'id' ? ` in ${disconnect.name}, its DisconnectNotify callback` : ' in the DisconnectNotify callback';
        out.push({
          at: fctx.loc(c.r),
          message: `This server port accepts connections, but nothing in the driver calls FltCloseClientPort, so no client port is ever closed; close the connection's port${where}.`,
        });
      }
    }
    return out;
  },
});
export default rule;
