# Unwind's default governance policy: assembles data.unwind.decision from the reasons that the
# other files of package unwind contribute (`denials`, `warnings`) and from `pending`.
#
# Decision: {"allow", "deny": [{"reason", "enforcement", "rule"}], "pending", "auto_merge", "warnings"}.
package unwind

# Actions that ask Unwind to change repositories.
request_actions := {"rollback", "retry", "auto", "override"}

# Soft reasons are waived when an admin overrides with a justification (`--override "why"`).
overriding if {
	input.action == "override"
	admin
	trim_space(input.trigger.reason) != ""
}

waived(d) if {
	overriding
	d.enforcement == "soft"
}

deny contains d if {
	some d in denials
	not waived(d)
}

warnings contains msg if {
	some d in denials
	waived(d)
	msg := sprintf("overridden by @%s (%s): %s", [input.actor.login, trim_space(input.trigger.reason), d.reason])
}

blocking if {
	some d in deny
	d.enforcement != "advisory"
}

default allow := false

allow if {
	not blocking
	pending == null
}

# Revert PRs merge automatically unless a contract of the plan says auto_merge: false.
default auto_merge := true

auto_merge := false if {
	some repo in input.plan.repos
	input.contracts[repo].auto_merge == false
}

decision := {
	"allow": allow,
	"deny": [d | some d in deny],
	"pending": pending,
	"auto_merge": auto_merge,
	"warnings": [w | some w in warnings],
}
