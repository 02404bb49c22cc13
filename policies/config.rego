# Configuration of the default policy, read from data.unwind_config (a data.json or data.yaml beside
# the policies), with the defaults below. See README.md for every key.
package unwind

# Teams whose members may approve (team slugs).
default approver_teams := ["sre"]

approver_teams := data.unwind_config.approver_teams

# Users who may approve in addition to the teams.
default approver_users := []

approver_users := data.unwind_config.approver_users

# How many approvals a rollback that needs them requires.
default required_approvals := 1

required_approvals := data.unwind_config.required_approvals

# Tiers that count as production.
default prod_tiers := ["prod"]

prod_tiers := data.unwind_config.prod_tiers

# Service name -> tier, in addition to tiers declared by contracts and the map.
default service_tiers := {}

service_tiers := data.unwind_config.tiers

# Business hours, UTC: [start, end) on the listed weekdays.
default business_days := ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]

business_days := data.unwind_config.business_hours.days

default business_start_hour := 9

business_start_hour := data.unwind_config.business_hours.start

default business_end_hour := 17

business_end_hour := data.unwind_config.business_hours.end

# Caps on automatic reverts over the last 24 hours.
default cap_per_repo := 3

cap_per_repo := data.unwind_config.caps.auto_reverts_per_repo_per_day

default cap_per_org := 10

cap_per_org := data.unwind_config.caps.auto_reverts_per_org_per_day

# A plan touching more repositories than this gets a warning.
default large_plan_repos := 10

large_plan_repos := data.unwind_config.large_plan_repos
