//! Every fixed string of the interface, in both languages, side by side: the one table a
//! translator reads. Chinese labels use full-width punctuation and no space between Chinese
//! characters; a label that introduces a value carries its own separator (`"Cause: "`,
//! `"原因："`), so that shared format strings add no stray space in Chinese.

use crate::kb::Lang;

/// One fixed string in English and Chinese.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    pub en: &'static str,
    pub zh: &'static str,
}

impl Label {
    pub const fn new(en: &'static str, zh: &'static str) -> Label {
        Label { en, zh }
    }

    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }
}

pub const ROLLBACK: Label = Label::new("Rollback:", "回滚：");
pub const WARNINGS: Label = Label::new("Warnings", "警告");
pub const VERIFY_WITH: Label = Label::new("Verify with:", "验证方法：");
pub const SYMPTOM: Label = Label::new("symptom", "症状");
pub const QUESTION: Label = Label::new("question", "问题");
pub const COMMAND: Label = Label::new("command", "命令");
pub const ERROR_MESSAGE: Label = Label::new("error message", "错误消息");
pub const ROOT_CAUSE: Label = Label::new("root cause", "根本原因");
pub const FIX: Label = Label::new("fix", "修复");
pub const NOTE: Label = Label::new("note:", "注意：");
pub const MORE_SHOW_CRYPTO_IPSEC_SA_SAS: Label = Label::new("more `show crypto ipsec sa` SAs than diagnose follows per input were not judged; split the input to judge them.", "个 `show crypto ipsec sa` SA 超出了每个输入可跟踪的数量，未作判断；请拆分输入后再诊断。");
pub const THE_COUNTERS_WENT_BACKWARDS_BETWEEN_THE: Label = Label::new("the counters went backwards between the two snapshots: they were cleared, or the pastes are out of order; nothing is judged from them", "两次快照之间计数器变小：计数器已被清零，或粘贴顺序颠倒；未据此作判断");
pub const NO_KNOWN_IPSEC_PROBLEM_FOUND: Label =
    Label::new("No known IPsec problem found", "未发现已知的 IPsec 问题");
pub const LINES: Label = Label::new("lines", "行");
pub const INPUT_S: Label = Label::new("input(s)", "个输入");
pub const PROBLEM_S_FOUND: Label = Label::new("problem(s) found", "个问题");
pub const SEEN: Label = Label::new("seen", "出现");
pub const FIRST_AT: Label = Label::new("first at", "首次");
pub const LAST_AT: Label = Label::new("last at", "最后");
pub const AT: Label = Label::new("at", "位置");
pub const NO_CONFIDENT_MATCH: Label = Label::new("No confident match.", "没有可信的匹配结果。");
pub const THE_TEXT_DOES_NOT_LOOK_LIKE: Label = Label::new(
    "The text does not look like a known IPsec problem from the knowledge base.",
    "该文本看起来不属于知识库中已知的 IPsec 问题。",
);
pub const MATCHED: Label = Label::new("matched: ", "匹配：");
pub const CLOSEST_ENTRIES_LOW_CONFIDENCE: Label = Label::new(
    "Closest entries (low confidence):",
    "最接近的条目（可信度低）：",
);
pub const OTHER_CANDIDATES: Label = Label::new("Other candidates:", "其他候选：");
pub const MORE: Label = Label::new("More: ", "详情：");
pub const CAUSE: Label = Label::new("Cause:", "原因：");
pub const FIX_2: Label = Label::new("Fix:", "修复：");
pub const PLATFORMS: Label = Label::new("Platforms: ", "平台：");
pub const SAMPLE_OUTPUT: Label = Label::new("Sample output", "示例输出");
pub const CISCO_TECH_NOTE: Label = Label::new("Cisco tech note", "思科技术说明");
pub const WARNING: Label = Label::new("Warning:", "警告：");
pub const TECH_NOTE_SECTION: Label = Label::new("Tech note section: ", "技术说明章节：");
pub const REFERENCE: Label = Label::new("Reference: ", "参考资料：");
pub const LINE_N: Label = Label::new("line ", "第 ");
pub const HEALTHY_MESSAGES: Label = Label::new(
    "Messages of a healthy VPN (nothing to fix):",
    "正常 VPN 输出的消息（无需处理）：",
);
pub const STARTED_FROM: Label = Label::new("Started from:", "起点：");
pub const ERROR_MESSAGE_2: Label = Label::new("Error message:", "错误消息：");
pub const RECOGNISED_FROM_PASTED_OUTPUT: Label =
    Label::new("recognised from pasted output:", "从粘贴的输出中识别：");
pub const CHOSE_THE_CAUSE: Label = Label::new("Chose the cause:", "选择的原因：");
pub const ROOT_CAUSE_2: Label = Label::new("Root cause:", "根本原因：");
pub const WHAT_CONFIRMS_IT: Label = Label::new("What confirms it", "确认依据");
pub const HOW_YOU_GOT_HERE: Label = Label::new("How you got here", "诊断路径");
pub const ALSO_FOUND: Label = Label::new("Also found on this path:", "本路径上还发现：");
pub const STILL_POSSIBLE_ON_PATH: Label = Label::new(
    "Still possible on this path (a second fault can hide behind the first):",
    "本路径上仍有可能（第一个故障背后可能还有第二个）：",
);
pub const TO_RULE_THEM_OUT: Label = Label::new("To rule them out, answer:", "要排除它们，请回答：");
pub const KEPT_CHECKING: Label = Label::new("Kept checking past", "继续检查，越过");
pub const KEEP_CHECKING: Label = Label::new(
    "Keep checking: ask about the causes still possible on this path",
    "继续检查：询问本路径上仍有可能的原因",
);
pub const IPSEC_DOCTOR_TRANSCRIPT: Label =
    Label::new("ipsec-doctor transcript", "ipsec-doctor 诊断记录");
pub const PATH: Label = Label::new("Path", "诊断路径");
pub const I_HAVE_AN_ERROR_MESSAGE: Label =
    Label::new("I have an error message", "我有一条错误消息");
pub const QUIT: Label = Label::new("Quit", "退出");
pub const WHAT_DO_YOU_SEE: Label = Label::new("What do you see?", "您遇到了什么问题？");
pub const PASTE_THE_ERROR_LINE_S_THEN: Label = Label::new(
    "Paste the error line(s), then a line with only `.` (or Ctrl-D):",
    "粘贴错误日志行，然后输入只含 `.` 的一行（或按 Ctrl-D）：",
);
pub const NO_KNOWN_IPSEC_ERROR_MATCHES_THAT: Label = Label::new(
    "No known IPsec error matches that text. Choose the symptom instead.",
    "没有匹配的已知 IPsec 错误，请改为选择症状。",
);
pub const RECOGNISED: Label = Label::new("Recognised:", "识别为：");
pub const QUESTION_2: Label = Label::new("Question", "问题");
pub const RUN: Label = Label::new("Run:", "运行：");
pub const LOOK_FOR: Label = Label::new("look for", "留意");
pub const PASTE_PASTE_THE_COMMAND_OUTPUT_AND: Label = Label::new(
    "[paste] Paste the command output and let the wizard answer",
    "[粘贴] 粘贴命令输出，由向导作答",
);
pub const WHY_IS_THIS_ASKED: Label = Label::new("[?] Why is this asked?", "[?] 为什么问这个？");
pub const BACK: Label = Label::new("← Back", "← 返回上一步");
pub const RESTART: Label = Label::new("↺ Restart", "↺ 重新开始");
pub const QUIT_2: Label = Label::new("✕ Quit", "✕ 退出");
pub const YOUR_ANSWER: Label = Label::new("Your answer", "您的答案");
pub const PASTE_THE_OUTPUT_THEN_A_LINE: Label = Label::new(
    "Paste the output, then a line with only `.` (or Ctrl-D):",
    "粘贴命令输出，然后输入只含 `.` 的一行（或按 Ctrl-D）：",
);
pub const RECOGNISED_2: Label = Label::new("Recognised:", "识别到：");
pub const THE_OUTPUT_FITS_SEVERAL_ANSWERS_WHICH: Label = Label::new(
    "The output fits several answers; which one is the tunnel you troubleshoot?",
    "输出符合多个答案；您排查的是哪一个？",
);
pub const NOTHING_IN_THAT_OUTPUT_DECIDES_THIS: Label = Label::new(
    "Nothing in that output decides this question; choose the answer yourself.",
    "该输出无法判断此问题，请自行选择答案。",
);
pub const STILL_POSSIBLE: Label = Label::new("Still possible:", "仍有可能的原因：");
pub const EACH_ANSWER_NARROWS_IT_TO: Label =
    Label::new("Each answer narrows it to:", "每个答案会把范围缩小到：");
pub const WHICH_OF_THESE_APPLIES: Label =
    Label::new("which of these applies?", "哪一个符合您的情况？");
pub const ALL_PLATFORMS: Label = Label::new("All platforms", "所有平台");
pub const SHOW_THE_FIX_FOR_WHICH_PLATFORM: Label = Label::new(
    "Show the fix for which platform?",
    "显示哪个平台的修复配置？",
);
pub const SAVE_A_MARKDOWN_TRANSCRIPT: Label = Label::new(
    "Save a Markdown transcript?",
    "保存 Markdown 格式的诊断记录吗？",
);
pub const FILE_NAME: Label = Label::new("File name", "文件名");
pub const TRANSCRIPT_SAVED_TO: Label = Label::new("Transcript saved to", "诊断记录已保存到");
pub const FINISH: Label = Label::new("Finish", "完成");
pub const BACK_CHANGE_AN_ANSWER: Label =
    Label::new("← Back (change an answer)", "← 返回（修改答案）");
pub const WHAT_NEXT: Label = Label::new("What next?", "下一步？");
pub const SUMMARY: Label = Label::new("Summary", "目录");
pub const INTRODUCTION: Label = Label::new("Introduction", "简介");
pub const SYMPTOMS: Label = Label::new("Symptoms", "症状");
pub const ERROR_MESSAGES: Label = Label::new("Error messages", "错误消息");
pub const ROOT_CAUSES: Label = Label::new("Root causes", "根本原因");
pub const FIXES: Label = Label::new("Fixes", "修复");
pub const COMMAND_REFERENCE: Label = Label::new("Command reference", "命令参考");
pub const INDEX_OF_ERROR_STRINGS: Label = Label::new("Index of error strings", "错误字符串索引");
pub const INDEX: Label = Label::new("Index", "索引");
pub const EVERY_ENTRY: Label = Label::new("Every entry", "全部条目");
pub const IPSEC_DOCTOR_RUNBOOK: Label = Label::new("ipsec-doctor runbook", "ipsec-doctor 运行手册");
pub const THIS_RUNBOOK_IS_GENERATED_FROM_THE: Label = Label::new("This runbook is generated from the ipsec-doctor knowledge base, which encodes Cisco's tech note *Understanding and Using debug Commands to Troubleshoot IPsec* for Cisco IOS routers and PIX/ASA firewalls. It says exactly what `ipsec-doctor wizard`, `search` and `diagnose` say.", "本运行手册由 ipsec-doctor 知识库生成。知识库编码了思科技术说明《了解并使用调试命令排除 IPsec 问题》，适用于 Cisco IOS 路由器和 PIX/ASA 防火墙。手册内容与 `ipsec-doctor wizard`、`search` 和 `diagnose` 的结论完全一致。");
pub const HOW_TO_USE_IT: Label = Label::new("How to use it", "使用方法");
pub const YOU_SEE_A_SYMPTOM_THE_TUNNEL: Label = Label::new("**You see a symptom** (the tunnel does not come up, no traffic passes, users cannot browse the Internet, …): open its page under *Symptoms*. The diagram shows the decision flow; the numbered steps say which command to run and how each answer leads on, down to a root cause.", "**您看到某种症状**（隧道无法建立、没有流量、用户无法上网……）：在“症状”下打开对应页面。流程图展示决策过程；编号步骤说明要运行哪些命令、每个答案通向哪里，直至根本原因。");
pub const YOU_HAVE_AN_ERROR_LINE_FROM: Label = Label::new("**You have an error line** from a log or a debug: search for its text in the *Index of error strings* (Ctrl-F), or run `ipsec-doctor search '<the line>'`.", "**您有一条错误日志**：在“错误字符串索引”中查找其文本（Ctrl-F），或运行 `ipsec-doctor search '<日志行>'`。");
pub const YOU_KNOW_THE_ROOT_CAUSE_ITS: Label = Label::new("**You know the root cause**: its page lists what confirms it and the fixes for IOS, PIX and ASA, with the lines that undo them and what to watch out for.", "**您已知道根本原因**：其页面列出确认依据，以及 IOS、PIX、ASA 的修复配置、回滚命令和注意事项。");
pub const THE_COMMAND_REFERENCE_EXPLAINS_EVERY_SHOW: Label = Label::new("The *Command reference* explains every show and debug command with the tech note's sample output and how to read it.", "“命令参考”解释每条 show 和 debug 命令，附有技术说明中的示例输出及解读方法。");
pub const PLATFORMS_2: Label = Label::new("Platforms", "平台");
pub const CISCO_IOS_ROUTERS_DES_NEEDS_A: Label = Label::new("Cisco IOS routers (DES needs a 56i image, 3DES a k2 image), PIX firewalls from version 5.0 (with a DES or 3DES licence) using 6.x syntax, ASA firewalls, and the Cisco VPN Client. Commands, configuration and log lines are shown as the devices print them.", "Cisco IOS 路由器（DES 需要 56i 映像，3DES 需要 k2 映像）、5.0 及以上版本的 PIX 防火墙（需要 DES 或 3DES 许可证，配置采用 6.x 语法）、ASA 防火墙以及 Cisco VPN Client。命令、配置和日志行均按设备原样显示，不作翻译。");
pub const PLATFORMS_3: Label = Label::new("Platforms:", "平台：");
pub const DECISION_FLOW: Label = Label::new("Decision flow", "决策流程");
pub const STEPS: Label = Label::new("Steps", "步骤");
pub const POSSIBLE_ROOT_CAUSES: Label = Label::new("Possible root causes", "可能的根本原因");
pub const ANSWERS: Label = Label::new("Answers:", "答案：");
pub const STEP: Label = Label::new("step", "步骤");
pub const WHAT_IT_LOOKS_LIKE: Label = Label::new("What it looks like", "日志示例");
pub const SIGNATURES: Label = Label::new("Signatures", "特征");
pub const IPSEC_DOCTOR_SEARCH_AND_DIAGNOSE_RECOGNISE: Label = Label::new("`ipsec-doctor search` and `diagnose` recognise the message with these patterns, whatever the syslog prefix:", "`ipsec-doctor search` 和 `diagnose` 用以下模式识别该消息，与 syslog 前缀无关：");
pub const CAUSES: Label = Label::new("Causes", "原因");
pub const CONFIRM_WITH: Label = Label::new("Confirm with:", "确认方法：");
pub const ERROR_MESSAGES_THAT_POINT_HERE: Label =
    Label::new("Error messages that point here", "指向此原因的错误消息");
pub const SYMPTOMS_THAT_LEAD_HERE: Label =
    Label::new("Symptoms that lead here", "通向此原因的症状");
pub const ROOT_CAUSES_IT_REMOVES: Label = Label::new("Root causes it removes", "所解决的根本原因");
pub const HOW_TO_READ_IT: Label = Label::new("How to read it", "如何解读输出");
pub const EVERY_MESSAGE_THE_KNOWLEDGE_BASE_RECOGNISES: Label = Label::new(
    "Every message the knowledge base recognises, as devices print it. Find yours with Ctrl-F.",
    "知识库能识别的每条消息，按设备原样列出。请用 Ctrl-F 查找。",
);
pub const EVERY_ENTRY_OF_THE_KNOWLEDGE_BASE: Label = Label::new(
    "Every entry of the knowledge base with its ID, by kind.",
    "按类别列出知识库的每个条目及其 ID。由于 mdBook 的搜索不支持中文，请在本页用 Ctrl-F 查找。",
);
pub const QUESTIONS: Label = Label::new("Questions", "问题");
pub const COMMANDS: Label = Label::new("Commands", "命令");
pub const START_HERE: Label = Label::new("Start here", "从这里开始");
pub const RUN_S: Label = Label::new("Run", "运行");
pub const ANSWERS_S: Label = Label::new("Answers", "答案");
pub const EVIDENCE: Label = Label::new("Evidence", "证据");
pub const CONFIRM_WITH_S: Label = Label::new("Confirm with", "确认方法");

pub const ANSWERED_FROM_EVIDENCE: Label =
    Label::new("answered from your evidence, ", "已根据您提供的证据回答：");
pub const ANSWERED_FOR_YOU: Label =
    Label::new("Answered from your evidence, ", "已根据您提供的证据回答：");
pub const CONCLUSIONS: Label = Label::new("Conclusions:", "结论：");
pub const STATUS_CONFIRMED: Label = Label::new("confirmed ", "已证实  ");
pub const STATUS_LIKELY: Label = Label::new("likely    ", "很可能  ");
pub const STATUS_POSSIBLE: Label = Label::new("possible  ", "有可能  ");
pub const STATUS_UNVERIFIED: Label = Label::new("unverified", "无法核实");
pub const STATUS_RULED_OUT: Label = Label::new("ruled out ", "已排除  ");
pub const BECAUSE: Label = Label::new("because ", "依据：");
pub const CHECK_NEXT: Label = Label::new("check next: ", "下一步核查：");
pub const CHECKED: Label = Label::new("Checked:", "已检查：");
pub const CHECKED_PHASE1_UP: Label = Label::new(
    "phase 1 up (QM_IDLE / MM_ACTIVE / AM_ACTIVE), peers: ",
    "第 1 阶段已建立（QM_IDLE / MM_ACTIVE / AM_ACTIVE）的对等体数：",
);
pub const CHECKED_BOTH_MOVING: Label = Label::new(
    "both counters moving, SAs: ",
    "加密和解密计数器都在增长的 SA 数：",
);
pub const CHECKED_IDLE: Label = Label::new(
    "idle SAs with zero counters (nothing sent through them): ",
    "计数器为零的空闲 SA 数（没有流量经过）：",
);
pub const CHECKED_CONFIGS: Label = Label::new("running-configs read: ", "读取的运行配置：");
pub const CHECKS_PASSED: Label = Label::new("checks passed: ", "通过的检查：");
pub const CHECKED_NO_ERROR: Label =
    Label::new("no known IPsec error message", "没有已知的 IPsec 错误消息");

/// Every label, for the checks below.
pub const WHY_2: Label = Label::new("Why:", "依据：");
pub const WORKAROUND_2: Label = Label::new("Workaround:", "变通办法：");
pub const WORKAROUND_WEAKENS: Label = Label::new(
    "Workaround, weakens security:",
    "变通办法（会降低安全性）：",
);
pub const PREVENTION_2: Label = Label::new("Prevention:", "预防措施：");
pub const FOR_THE_PEER: Label = Label::new("on the peer", "在对端上");
pub const MORE_LINES: Label = Label::new("more lines below", "行见下文");
pub const BELOW_THE_REST: Label = Label::new(
    "Below: the explanation, the other fixes, rollback, warnings, verification and the path.",
    "下文：原理说明、其他修复方法、回滚、警告、验证方法和诊断路径。",
);
pub const BEHIND_THE_REST: Label = Label::new(
    "More (explanation, other fixes, rollback, checks, path): “Show everything”.",
    "更多内容（原理、其他修复、回滚、验证、路径）：选择“显示全部”。",
);
pub const SHOW_EVERYTHING: Label = Label::new(
    "Show everything (explanation, other fixes, rollback, warnings, verification, path)",
    "显示全部（原理、其他修复、回滚、警告、验证、路径）",
);
pub const DETAILS: Label = Label::new("Details", "详细信息");
pub const IS_IT_L2L: Label = Label::new("Which kind of VPN is it?", "这是哪种 VPN？");
pub const L2L_CHOICE: Label = Label::new(
    "LAN-to-LAN (site-to-site) between two gateways",
    "LAN-to-LAN（站点到站点）：两台网关之间",
);
pub const RA_CHOICE: Label = Label::new(
    "Remote access: VPN Clients or Easy VPN dial in",
    "远程访问：VPN Client 或 Easy VPN 拨入",
);
pub const NOT_SURE: Label = Label::new("Not sure", "不确定");
pub const WHICH_DEVICE: Label = Label::new(
    "Which device are you troubleshooting?",
    "您正在排查哪种设备？",
);
pub const SAVE_TRANSCRIPT: Label =
    Label::new("Save a Markdown transcript", "保存 Markdown 格式的诊断记录");
pub const LOOK_AT: Label = Label::new("Look at:", "查看：");

pub const ALL: &[Label] = &[
    SAVE_TRANSCRIPT,
    WHY_2,
    WORKAROUND_2,
    WORKAROUND_WEAKENS,
    PREVENTION_2,
    FOR_THE_PEER,
    MORE_LINES,
    BELOW_THE_REST,
    BEHIND_THE_REST,
    SHOW_EVERYTHING,
    DETAILS,
    IS_IT_L2L,
    L2L_CHOICE,
    RA_CHOICE,
    NOT_SURE,
    WHICH_DEVICE,
    LOOK_AT,
    ANSWERED_FROM_EVIDENCE,
    ANSWERED_FOR_YOU,
    CONCLUSIONS,
    STATUS_CONFIRMED,
    STATUS_LIKELY,
    STATUS_POSSIBLE,
    STATUS_UNVERIFIED,
    STATUS_RULED_OUT,
    BECAUSE,
    CHECK_NEXT,
    CHECKED,
    CHECKED_PHASE1_UP,
    CHECKED_BOTH_MOVING,
    CHECKED_IDLE,
    CHECKED_NO_ERROR,
    CHECKED_CONFIGS,
    CHECKS_PASSED,
    ROLLBACK,
    WARNINGS,
    VERIFY_WITH,
    SYMPTOM,
    QUESTION,
    COMMAND,
    ERROR_MESSAGE,
    ROOT_CAUSE,
    FIX,
    NOTE,
    MORE_SHOW_CRYPTO_IPSEC_SA_SAS,
    THE_COUNTERS_WENT_BACKWARDS_BETWEEN_THE,
    NO_KNOWN_IPSEC_PROBLEM_FOUND,
    LINES,
    INPUT_S,
    PROBLEM_S_FOUND,
    SEEN,
    FIRST_AT,
    LAST_AT,
    AT,
    NO_CONFIDENT_MATCH,
    THE_TEXT_DOES_NOT_LOOK_LIKE,
    MATCHED,
    CLOSEST_ENTRIES_LOW_CONFIDENCE,
    OTHER_CANDIDATES,
    MORE,
    CAUSE,
    FIX_2,
    PLATFORMS,
    SAMPLE_OUTPUT,
    CISCO_TECH_NOTE,
    WARNING,
    TECH_NOTE_SECTION,
    REFERENCE,
    HEALTHY_MESSAGES,
    LINE_N,
    STARTED_FROM,
    ERROR_MESSAGE_2,
    RECOGNISED_FROM_PASTED_OUTPUT,
    CHOSE_THE_CAUSE,
    ROOT_CAUSE_2,
    WHAT_CONFIRMS_IT,
    HOW_YOU_GOT_HERE,
    ALSO_FOUND,
    STILL_POSSIBLE_ON_PATH,
    TO_RULE_THEM_OUT,
    KEPT_CHECKING,
    KEEP_CHECKING,
    IPSEC_DOCTOR_TRANSCRIPT,
    PATH,
    I_HAVE_AN_ERROR_MESSAGE,
    QUIT,
    WHAT_DO_YOU_SEE,
    PASTE_THE_ERROR_LINE_S_THEN,
    NO_KNOWN_IPSEC_ERROR_MATCHES_THAT,
    RECOGNISED,
    QUESTION_2,
    RUN,
    LOOK_FOR,
    PASTE_PASTE_THE_COMMAND_OUTPUT_AND,
    WHY_IS_THIS_ASKED,
    BACK,
    RESTART,
    QUIT_2,
    YOUR_ANSWER,
    PASTE_THE_OUTPUT_THEN_A_LINE,
    RECOGNISED_2,
    THE_OUTPUT_FITS_SEVERAL_ANSWERS_WHICH,
    NOTHING_IN_THAT_OUTPUT_DECIDES_THIS,
    STILL_POSSIBLE,
    EACH_ANSWER_NARROWS_IT_TO,
    WHICH_OF_THESE_APPLIES,
    ALL_PLATFORMS,
    SHOW_THE_FIX_FOR_WHICH_PLATFORM,
    SAVE_A_MARKDOWN_TRANSCRIPT,
    FILE_NAME,
    TRANSCRIPT_SAVED_TO,
    FINISH,
    BACK_CHANGE_AN_ANSWER,
    WHAT_NEXT,
    SUMMARY,
    INTRODUCTION,
    SYMPTOMS,
    ERROR_MESSAGES,
    ROOT_CAUSES,
    FIXES,
    COMMAND_REFERENCE,
    INDEX_OF_ERROR_STRINGS,
    INDEX,
    EVERY_ENTRY,
    IPSEC_DOCTOR_RUNBOOK,
    THIS_RUNBOOK_IS_GENERATED_FROM_THE,
    HOW_TO_USE_IT,
    YOU_SEE_A_SYMPTOM_THE_TUNNEL,
    YOU_HAVE_AN_ERROR_LINE_FROM,
    YOU_KNOW_THE_ROOT_CAUSE_ITS,
    THE_COMMAND_REFERENCE_EXPLAINS_EVERY_SHOW,
    PLATFORMS_2,
    CISCO_IOS_ROUTERS_DES_NEEDS_A,
    PLATFORMS_3,
    DECISION_FLOW,
    STEPS,
    POSSIBLE_ROOT_CAUSES,
    ANSWERS,
    STEP,
    WHAT_IT_LOOKS_LIKE,
    SIGNATURES,
    IPSEC_DOCTOR_SEARCH_AND_DIAGNOSE_RECOGNISE,
    CAUSES,
    CONFIRM_WITH,
    ERROR_MESSAGES_THAT_POINT_HERE,
    SYMPTOMS_THAT_LEAD_HERE,
    ROOT_CAUSES_IT_REMOVES,
    HOW_TO_READ_IT,
    EVERY_MESSAGE_THE_KNOWLEDGE_BASE_RECOGNISES,
    EVERY_ENTRY_OF_THE_KNOWLEDGE_BASE,
    QUESTIONS,
    COMMANDS,
    START_HERE,
    RUN_S,
    ANSWERS_S,
    EVIDENCE,
    CONFIRM_WITH_S,
];

/// Chinese text as it should read: no space after a full-width punctuation mark (shared
/// format strings put one after a label such as `原因：`). English is returned as it is.
pub fn tidy(lang: Lang, text: String) -> String {
    if lang == Lang::En {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut after_mark = false;
    for c in text.chars() {
        if c == ' ' && after_mark {
            continue;
        }
        after_mark = matches!(c, '：' | '，' | '。' | '；' | '、' | '！' | '？');
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_han(c: char) -> bool {
        ('\u{4e00}'..='\u{9fff}').contains(&c)
    }

    #[test]
    fn chinese_labels_use_full_width_punctuation_and_no_stray_spaces() {
        for label in ALL {
            let chars: Vec<char> = label.zh.chars().collect();
            assert!(chars.iter().any(|c| is_han(*c)), "{label:?} has no Chinese");
            for w in chars.windows(2) {
                let ascii_mark = |c: char| matches!(c, ':' | ',' | ';' | '?' | '!' | '(' | ')');
                assert!(
                    !(is_han(w[0]) && ascii_mark(w[1]) || ascii_mark(w[0]) && is_han(w[1])),
                    "half-width punctuation in {label:?}"
                );
            }
            for w in chars.windows(3) {
                assert!(
                    !(is_han(w[0]) && w[1] == ' ' && is_han(w[2])),
                    "a space between Chinese characters in {label:?}"
                );
            }
        }
    }

    #[test]
    fn one_entry_per_string() {
        for (i, a) in ALL.iter().enumerate() {
            for b in &ALL[i + 1..] {
                assert!(a.en != b.en || a.zh != b.zh, "{a:?} twice");
            }
        }
    }

    #[test]
    fn tidy_removes_the_space_after_a_full_width_mark_only_in_chinese() {
        assert_eq!(tidy(Lang::Zh, "原因： 标题 (x)".into()), "原因：标题 (x)");
        assert_eq!(tidy(Lang::En, "Cause: x".into()), "Cause: x");
    }
}
