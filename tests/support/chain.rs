//! A generated knowledge base for the linear-time checks: shared by the integration
//! tests (`tests/integration/kb_check.rs`) and the benchmark (`benches/kb_check.rs`).

use std::path::Path;

/// A knowledge base whose symptom leads through `n` questions in a row to its one cause:
/// each question's `go` leads to the next, its `stop` to the cause. Questions are written
/// 1,000 to a file.
pub fn write_chain(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("base.yaml"),
        "\
sections:
  - id: sec-one
    heading: One
    title: { en: One, zh: 第一节 }
symptoms:
  - id: sym-start
    title: { en: Start, zh: 开始 }
    summary: { en: Where the chain starts., zh: 链的起点。 }
    source: [sec-one]
    next: q-1
causes:
  - id: cause-end
    title: { en: The end of the chain, zh: 链的终点 }
    summary: { en: Where every answer leads., zh: 每个回答都通向这里。 }
    source: [sec-one]
    evidence:
      - { en: The chain ends., zh: 链结束了。 }
    fixes: [fix-end]
fixes:
  - id: fix-end
    title: { en: Nothing to fix, zh: 无需修复 }
    summary: { en: A placeholder fix., zh: 占位修复。 }
    source: [sec-one]
    actions:
      - platform: ios
        config: |
          crypto isakmp policy 10
",
    )
    .unwrap();
    for first in (1..=n).step_by(1000) {
        let mut text = String::from("questions:\n");
        for i in first..(first + 1000).min(n + 1) {
            let next = if i < n {
                format!("q-{}", i + 1)
            } else {
                "cause-end".to_string()
            };
            text.push_str(&format!(
                "  - id: q-{i}
    title: {{ en: Step {i}?, zh: 第 {i} 步？ }}
    summary: {{ en: One more step., zh: 又一步。 }}
    source: [sec-one]
    hints: [{{ platform: any, text: {{ en: Look at step {i}., zh: 查看第 {i} 步。 }} }}]
    answers:
      - id: go
        label: {{ en: Go on, zh: 继续 }}
        next: {next}
      - id: stop
        label: {{ en: Stop, zh: 停止 }}
        next: cause-end
"
            ));
        }
        std::fs::write(dir.join(format!("q{first:06}.yaml")), text).unwrap();
    }
}
