# Caps on automatic reverts over the last 24 hours, per repository and per org (soft: an admin can
# push a rollback through with an override).
package unwind

denials contains {"reason": msg, "enforcement": "soft", "rule": "unwind.auto_revert_cap_repo"} if {
	input.action == "auto"
	some repo in input.plan.repos
	n := object.get(input.history.auto_reverts_24h.per_repo, repo, 0)
	n >= cap_per_repo
	msg := sprintf("%s already had %d automatic reverts in the last 24 h (cap: %d per repository per day)", [repo, n, cap_per_repo])
}

denials contains {"reason": msg, "enforcement": "soft", "rule": "unwind.auto_revert_cap_org"} if {
	input.action == "auto"
	n := input.history.auto_reverts_24h.org
	n >= cap_per_org
	msg := sprintf("the org already had %d automatic reverts in the last 24 h (cap: %d per day)", [n, cap_per_org])
}
