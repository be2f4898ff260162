//! The local-cluster executor (section 04's cluster) agrees with the others bit for bit.

use solution_05::{Boundary, Executor, OnClusterError, seeded, smooth};

#[test]
fn the_cluster_executor_agrees_bit_for_bit() {
    let cluster = solution_04::local_cluster(2).expect("two workers");
    let client = cluster.client();
    let array =
        seeded((37, 29), (8, 6), 11)
            .expect("valid")
            .map_overlap(1, Boundary::Absent, smooth);
    let expected = array.compute(Executor::Sequential);
    let actual = array.compute_on_cluster(&client).expect("computed");
    assert!(
        expected
            .iter()
            .zip(actual.iter())
            .all(|(a, b)| a.to_bits() == b.to_bits())
    );
    let (sequential, _) = array.summary(3, Executor::Sequential).unwrap();
    let on_cluster = array.summary_on_cluster(3, &client).expect("computed");
    assert_eq!(
        sequential.sum.value().to_bits(),
        on_cluster.sum.value().to_bits()
    );
    assert_eq!(
        (sequential.count, sequential.min, sequential.max),
        (on_cluster.count, on_cluster.min, on_cluster.max)
    );
    cluster.close();
}

#[test]
fn a_failing_task_on_the_cluster_is_an_error() {
    let cluster = solution_04::local_cluster(2).expect("two workers");
    let array = seeded((8, 8), (4, 4), 1)
        .expect("valid")
        .map_blocks(|_| panic!("task failed on purpose"));
    let err = array
        .compute_on_cluster(&cluster.client())
        .expect_err("an error");
    assert!(matches!(err, OnClusterError::Cluster(_)), "{err:?}");
    assert!(err.to_string().contains("task failed on purpose"), "{err}");
    cluster.close();
}
