//! The agenda: never full, worked off with a per-block budget, nothing lost.

use super::*;

#[test]
fn expiries_beyond_the_budget_carry_over_and_none_is_lost() {
	build_and_execute(|| {
		// Two keys with two assigned requests each: four expiries in block 7, budget 2.
		let key_a = active_key(3, 2);
		let key_b = keygen_reported_by_all(0);
		let ids: Vec<RequestId> = (0..2)
			.map(|i| request_for(10, key_a, 1, i, b"p").unwrap())
			.chain((0..2).map(|i| request_for(10, key_b, 2, i, b"p").unwrap()))
			.collect();
		assert_eq!(Agenda::<Test>::iter_prefix(7).count(), 4);
		run_to_block(7);
		let moved = ids.iter().filter(|id| attempt_of(**id) == 1).count();
		assert_eq!(moved, 2, "the budget is two items per block");
		assert_eq!(Agenda::<Test>::iter_prefix(7).count(), 2);
		run_to_block(8);
		assert!(ids.iter().all(|id| attempt_of(*id) == 1));
		assert_eq!(Agenda::<Test>::iter_prefix(7).count(), 0);
		// The cursor moves past block 7 once it sees it empty.
		run_to_block(9);
		assert!(AgendaCursor::<Test>::get() >= 8);
	});
}

#[test]
fn scheduling_never_fails() {
	build_and_execute(|| {
		for request in 0..1_000 {
			ThresholdSigners::schedule(5, AgendaItem::Prune(request));
		}
		assert_eq!(Agenda::<Test>::iter_prefix(5).count(), 1_000);
		// 2 per block: drained by block 504 at the latest.
		run_to_block(505);
		assert_eq!(Agenda::<Test>::iter().count(), 0);
	});
}

#[test]
fn the_hook_reports_weight_proportional_to_the_work() {
	use frame_support::traits::Hooks;
	build_and_execute(|| {
		run_to_block(3);
		let idle = ThresholdSigners::on_initialize(4);
		for request in 0..2 {
			ThresholdSigners::schedule(5, AgendaItem::Prune(request));
		}
		System::set_block_number(5);
		let busy = ThresholdSigners::on_initialize(5);
		assert!(busy.ref_time() > idle.ref_time());
	});
}
