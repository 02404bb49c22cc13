# Kill switch: `paused: true` in the org config, or an open issue labelled unwind:pause, stops
# everything except abort.
package unwind

denials contains {"reason": "Unwind is paused: the org config sets paused: true; only abort is allowed", "enforcement": "hard", "rule": "unwind.kill_switch"} if {
	input.org.paused == true
	input.action != "abort"
}

denials contains {"reason": msg, "enforcement": "hard", "rule": "unwind.kill_switch"} if {
	issue := input.org.pause_issue
	input.action != "abort"
	msg := sprintf("Unwind is paused by the open unwind:pause issue %s#%d; only abort is allowed", [issue.repo, issue.number])
}
