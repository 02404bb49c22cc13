# Who may ask for what: writers request, admins override, bots only revert automatically.
package unwind

writer if input.actor.permission in {"write", "admin"}

admin if input.actor.permission == "admin"

# Actions a person asks for; all of them need write or admin permission.
writer_actions := {"rollback", "retry", "drill", "abort", "override"}

denials contains {"reason": msg, "enforcement": "hard", "rule": "unwind.writers_only"} if {
	input.action in writer_actions
	not writer
	msg := sprintf("@%s has %s permission on %s; %s needs write or admin", [input.actor.login, input.actor.permission, short_of_write, input.action])
}

# `actor.permission` is the lowest over the command's repository and every repository of the plan;
# name the repositories where write is missing (older inputs carry only the command's repository).
short_of_write := concat(", ", repos) if {
	repos := sort([repo | some repo, p in object.get(input.actor, "permissions", {}); not p in {"write", "admin"}])
	count(repos) > 0
} else := input.trigger.source.repo

denials contains {"reason": msg, "enforcement": "hard", "rule": "unwind.admins_override"} if {
	input.action == "override"
	writer
	not admin
	msg := sprintf("only admins may override; @%s has %s permission", [input.actor.login, input.actor.permission])
}

denials contains {"reason": "an override needs a justification: /rollback --override \"why\"", "enforcement": "hard", "rule": "unwind.override_justification"} if {
	input.action == "override"
	admin
	trim_space(input.trigger.reason) == ""
}

denials contains {"reason": msg, "enforcement": "hard", "rule": "unwind.no_bots"} if {
	input.actor.is_bot
	input.action != "auto"
	msg := sprintf("bots may not %s (actor @%s)", [input.action, input.actor.login])
}

denials contains {"reason": msg, "enforcement": "hard", "rule": "unwind.auto_by_unwind"} if {
	input.action == "auto"
	not input.actor.is_bot
	msg := sprintf("automatic reverts are started by Unwind itself, not by @%s", [input.actor.login])
}

# The rollback contract of a repository may pause its rollbacks; an admin can override.
denials contains {"reason": msg, "enforcement": "soft", "rule": "unwind.contract_paused"} if {
	input.action in request_actions
	some repo in input.plan.repos
	input.contracts[repo].paused == true
	msg := sprintf("the rollback contract of %s pauses rollbacks (paused: true)", [repo])
}

warnings contains "the plan is empty: there is nothing to roll back" if {
	input.action in request_actions
	count(input.plan.repos) == 0
}

warnings contains msg if {
	count(input.plan.repos) > large_plan_repos
	msg := sprintf("the plan touches %d repositories (more than %d)", [count(input.plan.repos), large_plan_repos])
}
