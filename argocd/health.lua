-- Argo CD health of a replication.drs-operator.io ReplicationJob, from what the operator writes
-- to status (never spec): the Terminal and Ready conditions, phase, observedGeneration, message.
-- Lua 5.1 (Argo CD's gopher-lua). Copied verbatim into argocd/argocd-cm.yaml and docs/gitops.md;
-- test/unit/packaging/argocd-health.test.ts runs it and keeps the copies identical.
local hs = {}

local function findCondition(conditions, conditionType)
  if conditions == nil then
    return nil
  end
  for _, condition in ipairs(conditions) do
    if condition.type == conditionType then
      return condition
    end
  end
  return nil
end

local metadata = obj.metadata or {}
local annotations = metadata.annotations or {}
local spec = obj.spec or {}
local status = obj.status

-- The paused annotation stops all reconciliation until it is removed.
if annotations["replication.drs-operator.io/paused"] == "true" then
  hs.status = "Suspended"
  hs.message = "Reconciliation is paused by the replication.drs-operator.io/paused annotation"
  return hs
end

if status == nil or status.observedGeneration == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report status"
  return hs
end

-- A status written for an older generation says nothing about the spec just synced (a fix for
-- a Terminal error included): wait for the operator to observe it.
if metadata.generation ~= nil and status.observedGeneration ~= metadata.generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(metadata.generation)
  return hs
end

-- An error only a change to the object (or its Secrets/ProviderConfig) can fix; no retry.
local terminal = findCondition(status.conditions, "Terminal")
if terminal ~= nil and terminal.status == "True" then
  hs.status = "Degraded"
  hs.message = (terminal.reason or "Terminal") .. ": " .. (terminal.message or "")
  return hs
end

local ready = findCondition(status.conditions, "Ready")

if spec.state == "Paused" and status.phase == "Paused" then
  hs.status = "Suspended"
  hs.message = (ready and ready.message) or "Paused as spec.state asks"
  return hs
end

if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message or ""
  return hs
end

hs.status = "Progressing"
hs.message = status.message or (ready and ready.message) or ("Phase " .. tostring(status.phase))
return hs
