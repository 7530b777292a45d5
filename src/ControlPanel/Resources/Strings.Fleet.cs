using ControlPanel.Web.Localization;

namespace ControlPanel.Resources;

/// <summary>Strings of the hosts inventory and batch pages (kept beside Strings.cs so the pages' strings stay together).</summary>
public static partial class S
{
    public static readonly Text NavHosts = new("Hosts", "主机");
    public static readonly Text HostsTitle = new("Hosts", "主机清单");
    public static readonly Text HostsIntro = new("Machines reached over SSH with a key (never a password). A host key is trusted only after you compare its fingerprint and confirm.",
        "通过 SSH 密钥（从不使用密码）连接的机器。只有在您核对指纹并确认后，主机密钥才会被信任。");
    public static readonly Text NoHosts = new("No hosts yet.", "尚无主机。");
    public static readonly Text ColName = new("Name", "名称");
    public static readonly Text ColKey = new("Private key", "私钥");
    public static readonly Text ColLabels = new("Labels", "标签");
    public static readonly Text ColHostKey = new("Host key", "主机密钥");
    public static readonly Text DefaultKey = new("(default)", "（默认）");
    public static readonly Text NotTrusted = new("not trusted", "未信任");
    public static readonly Text ColConnection = new("Connection", "连接");
    public static readonly Text TestConnection = new("Test", "测试");
    public static readonly Text TestConnectionHint = new("Sign in with the key and the pinned host key, as a run will", "像运行任务时一样，用密钥和已固定的主机密钥登录");
    public static readonly Text ConnectionTesting = new("signing in…", "正在登录…");
    public static readonly Text ConnectionOk = new("signed in: {0}", "已登录：{0}");
    public static readonly Text AddHost = new("Add host", "添加主机");
    public static readonly Text FieldHostName = new("Name", "名称");
    public static readonly Text FieldHostAddress = new("user@host[:port]", "用户@主机[:端口]");
    public static readonly Text FieldKeyPath = new("Private key path", "私钥路径");
    public static readonly Text FieldLabels = new("Labels (comma-separated)", "标签（逗号分隔）");
    public static readonly Text Trust = new("Trust…", "信任…");
    public static readonly Text Remove = new("Remove", "移除");
    public static readonly Text RemoveHostConfirm = new("Remove {0} from the inventory and forget its pinned host key?", "从清单中移除 {0} 并删除其已固定的主机密钥？");
    public static readonly Text TrustTitle = new("Trust the host key of {0}", "信任 {0} 的主机密钥");
    public static readonly Text TrustIntro = new("The host offers these keys. Compare them with the host's own (on its console: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) before pinning.",
        "该主机提供以下密钥。固定之前，请与主机本身的指纹核对（在其控制台执行：ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub）。");
    public static readonly Text TrustAlready = new("These keys are already pinned.", "这些密钥已被固定。");
    public static readonly Text TrustConfirm = new("The fingerprints match: pin them", "指纹一致：固定密钥");
    public static readonly Text TrustScanning = new("Reading the host's keys…", "正在读取主机密钥…");
    public static readonly Text TrustPinned = new("Pinned for {0}: {1}", "已为 {0} 固定：{1}");
    public static readonly Text BatchesTitle = new("Runs on several hosts", "多主机任务");
    public static readonly Text NoBatches = new("No batch yet. Tick hosts above and start a plan on them.",
        "尚无批量任务。可在上方勾选主机并在其上运行计划。");
    public static readonly Text BatchTitle = new("Batch #{0}: {1}", "批量任务 #{0}：{1}");
    public static readonly Text BatchIntro = new("{0} at a time, started {1} by {2}.", "每次 {0} 台，{1} 由 {2} 启动。");
    public static readonly Text BatchNotFound = new("There is no batch #{0}.", "不存在批量任务 #{0}。");
    public static readonly Text BatchWaiting = new("Waiting", "等待中");
    public static readonly Text BatchNotStarted = new("Not started (re-run the failed hosts to start it)", "未启动（重新运行失败的主机即可启动）");
    public static readonly Text ColHost = new("Host", "主机");
    public static readonly Text ColRun = new("Run", "任务");
    public static readonly Text ColHosts = new("Hosts", "主机");
    public static readonly Text RerunFailedHosts = new("Re-run failed hosts", "重新运行失败的主机");
    public static readonly Text CancelBatch = new("Cancel the batch", "取消批量任务");
    public static readonly Text CancelBatchConfirm = new("Cancel batch #{0}? Its running hosts are stopped and its waiting hosts never start; they can be re-run later.",
        "取消批量任务 #{0}？正在运行的主机将被停止，等待中的主机不会启动；之后可以重新运行它们。");
    public static readonly Text BatchCancelAsked = new("Cancelling: running hosts are being stopped, waiting hosts will not start.", "正在取消：正在停止运行中的主机，等待中的主机不会启动。");
    public static readonly Text RerunStarted = new("Re-running {0} failed host(s).", "正在重新运行 {0} 台失败的主机。");
    public static readonly Text FilterByLabel = new("Label", "标签");
    public static readonly Text SelectShown = new("Select shown", "选择所显示的");
    public static readonly Text SelectNone = new("Select none", "全部取消");
    public static readonly Text FleetTitle = new("Run a plan on the selected hosts", "在所选主机上运行计划");
    public static readonly Text FleetIntro = new("One run per host, a limited number at a time; a host that fails does not stop the others, and the failed ones can be re-run from the batch.",
        "每台主机一个任务，同时运行的数量有限；一台主机失败不会影响其他主机，失败的主机可在批量任务页面重新运行。");
    public static readonly Text FleetNoneSelected = new("none selected: tick hosts in the table", "未选择：请在表格中勾选主机");
    public static readonly Text FleetPlan = new("Plan", "计划");
    public static readonly Text FleetPasswordHint = new("The same faasd password on every host of the batch (at least 8 characters).", "批量任务中每台主机使用相同的 faasd 密码（至少 8 个字符）。");
    public static readonly Text FleetParallel = new("At a time", "同时运行数");
    public static readonly Text FleetParallelHint = new("How many hosts run at once (1-64).", "同时运行的主机数（1-64）。");
    public static readonly Text FleetLaunch = new("Start on the selected hosts", "在所选主机上开始");
    public static readonly Text FleetPreview = new("Preview on each host", "在每台主机上预览");
    public static readonly Text FleetCannotPreview = new("cannot preview: {0}", "无法预览：{0}");
    public static readonly Text FleetWouldFail = new("would fail in {0} stage(s)", "将在 {0} 个步骤中失败");
    public static readonly Text FleetWouldApply = new("{0} to apply, {1} to skip", "{0} 个待执行，{1} 个跳过");
}
