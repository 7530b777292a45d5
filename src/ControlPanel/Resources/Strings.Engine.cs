using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Validation;
using ControlPanel.Web.Localization;

namespace ControlPanel.Resources;

/// <summary>
/// The engine's messages in Chinese, by the stable key each MessageTemplate declares (placeholders by name, as in
/// the English template). The English is the engine's own text. A key missing here, and any verbatim text
/// (command output, a CA's or nginx's own error), shows as the engine wrote it; a test requires every declared key here.
/// </summary>
public static partial class S
{
    static readonly Dictionary<string, string> EngineZh = new()
    {
        // Runs and stages
        ["run.created-by"] = "由 {user} 创建",
        ["run.resume-by"] = "{user} 继续运行",
        ["run.rerun-from-by"] = "{user} 从 {stage} 重新运行",
        ["run.rerun-only-by"] = "{user} 仅重新运行 {stage}",
        ["run.attempt-on"] = "第 {attempt} 次执行，目标 {host}",
        ["run.attempt"] = "第 {attempt} 次尝试",
        ["run.stage-stopped"] = "{stage}：{error}",
        ["run.not-every-stage"] = "并非所有步骤都已运行：{stages}；请继续以完成",
        ["run.process-stopped"] = "运行此任务的进程已停止；请继续以完成",
        ["run.panel-stopped"] = "面板在运行此任务时停止；面板再次启动时将自动继续",
        ["run.cancelled"] = "已取消",
        ["stage.timed-out"] = "超时（{minutes} 分钟）",
        ["stage.will-retry"] = "{error}（将重试）",
        ["stage.still-not-done"] = "{stage}：执行后仍未达到期望状态：{reason}",
        ["command.failed"] = "`{command}` 退出码为 {code}",
        ["command.failed-output"] = "`{command}` 退出码为 {code}：\n{output}",
        ["command.timed-out"] = "`{command}` 未在 {seconds} 秒内完成，已被终止",

        // Check reasons several stages give
        ["check.missing"] = "{path} 不存在",
        ["check.exists"] = "{path} 已存在",
        ["check.still-exists"] = "{path} 仍然存在",
        ["check.not-enabled"] = "{unit} 未启用",
        ["check.not-running"] = "{unit} 未运行",
        ["check.left"] = "残留：{items}",
        ["check.to-remove"] = "待删除：{items}",
        ["check.already-removed"] = "已删除",
        ["component.not-installed"] = "未安装 {component} {version}（{arch}）",
        ["component.other-installed"] = "未安装 {component} {version}（{arch}）；已安装的是 {foundVersion}（{foundArch}）",
        ["packages.all-installed"] = "均已安装：{packages}",
        ["packages.missing"] = "缺少：{packages}",

        // Preflight
        ["preflight.not-ready"] = "主机尚未满足安装条件：",
        ["preflight.not-root"] = "未以 root 身份运行：请以 root 连接（--host ssh://root@HOST）或用 sudo 运行面板",
        ["preflight.no-systemd"] = "init 系统不是 systemd（没有 /run/systemd/system）：套件以 systemd 服务运行；请使用 systemd 主机，而不是普通容器",
        ["preflight.os-unsupported"] = "不支持 {os}：请使用 {supported}",
        ["preflight.arch-unsupported"] = "CPU 架构 {machine} 没有 faasd 套件的构建：请使用 amd64（x86_64）或 arm64（aarch64）主机",
        ["preflight.disk-low"] = "/var/lib 仅剩 {free} 可用空间（镜像和容器需要 {need}）：请清理空间或扩容磁盘",
        ["preflight.disk-free"] = "可用 {free}",
        ["preflight.port-taken"] = "端口 {port} 已被 {process} 占用：请停止它或改用其他端口（套件需要 {ports}）",
        ["preflight.port-taken-unknown"] = "端口 {port} 已被未知进程占用：请停止它或改用其他端口（套件需要 {ports}）",
        ["preflight.clock-skew"] = "主机时钟偏差 {skew} 秒（{source} 的时间为 {time}）：访问镜像仓库、镜像站和 ACME CA 的 TLS 会失败，报 x509 \"certificate has expired or is not yet valid\"；请开启时间同步（timedatectl set-ntp true）或校准时钟",
        ["preflight.panel-clock"] = "面板的时钟",
        ["preflight.clock-within"] = "时钟偏差 {seconds} 秒以内",
        ["preflight.conflicting-agent"] = "已安装 {agent}（{evidence}）：{why}，与套件冲突；{fix}，或换一台主机",
        ["preflight.evidence-package"] = "软件包 {name}",
        ["preflight.agent-fix-apt"] = "{fix}（apt-get remove {packages}）",
        ["agent.k3s-why"] = "它运行自己的 containerd 和 kubelet",
        ["agent.k3s-fix"] = "运行 /usr/local/bin/k3s-uninstall.sh（或 k3s-agent-uninstall.sh）",
        ["agent.kubelet-why"] = "它在自己的运行时上管理容器和节点的 CNI",
        ["agent.kubelet-fix"] = "运行 kubeadm reset 并删除 kubelet",
        ["agent.edgecore-why"] = "它在自己的运行时上管理容器",
        ["agent.edgecore-fix"] = "运行 keadm reset",
        ["agent.docker-why"] = "它会带来 containerd.io，即第二个 containerd",
        ["agent.docker-fix"] = "删除 docker-ce/docker.io 和 containerd.io",
        ["agent.containerd-why"] = "它会与套件共用 /run/containerd 和 containerd.service 这个名称",
        ["agent.containerd-fix"] = "删除它（或手动安装留下的文件）",
        ["preflight.cgroup-mismatch"] = "cgroup 驱动不一致：{agents}，{runtime} 使用 {driver}；Pod 将无法启动：{fix}（或修改该代理的 cgroupDriver）",
        ["preflight.cgroup-agent-uses"] = "{agent} 使用 {driver}",
        ["preflight.cgroup-containerd-runc"] = "containerd 的 runc（{path}）",
        ["preflight.cgroup-fix-containerd"] = "在 runc 选项下设置 SystemdCgroup = {value} 并重启 containerd",
        ["preflight.cgroup-fix-docker"] = "设置 \"exec-opts\": [\"native.cgroupdriver={driver}\"] 并重启 docker",

        // Install stages
        ["cni.forwarding-off"] = "{setting} 当前不为 1 或未持久化到 {file}",
        ["cni.installed"] = "CNI 插件 {version} 位于 {directory}；已开启转发",
        ["containerd.unit-not-ours"] = "{path} 不存在或不是本面板写入的",
        ["containerd.no-answer"] = "containerd 未响应 `ctr version`",
        ["containerd.running"] = "containerd {version} 运行中",
        ["firewall.not-ours"] = "防火墙规则或其单元不存在，或不是本面板写入的",
        ["firewall.chain-not-loaded"] = "链 {chain} 未加载，或未从 INPUT 跳转",
        ["firewall.closed"] = "8080/8081 已由链 {chain} 对外关闭",
        ["faasd.other-user"] = "{file} 中的用户不是 {user}",
        ["faasd.other-password"] = "主机上的管理员密码与要求的不一致",
        ["faasd.unit-missing"] = "{path} 不存在（faasd install 尚未运行）",
        ["faasd.gateway-down"] = "网关未在 http://127.0.0.1:8080/healthz 响应",
        ["faasd.running"] = "faasd {version} 运行中，网关有响应",
        ["nginx.interrupted"] = "上次应用在 nginx 验证新文件之前被中断",
        ["nginx.site-differs"] = "{path} 不是根据路由生成的站点",
        ["nginx.also-serves"] = "{files} 也在服务 {domain}",
        ["nginx.site-current"] = "{path} 已是最新，nginx 运行中",
        ["certificate.none"] = "{directory} 中没有证书",
        ["certificate.not-covered"] = "{directory} 中的证书未包含 {domains}",
        ["certificate.key-mismatch"] = "{directory} 中的 privkey.pem 与证书不匹配",
        ["certificate.due"] = "证书将于 {expires} 到期：需要续期",
        ["certificate.valid"] = "{domains} 的证书有效期至 {expires}（{renewAt} 起续期）",

        // Uninstall stages
        ["uninstall.containerd-down"] = "containerd 未运行：没有需要停止的任务",
        ["uninstall.tasks-left"] = "命名空间 {namespace} 中仍有任务",
        ["uninstall.containers-left"] = "命名空间 {namespace} 中仍有容器",
        ["uninstall.namespace-left"] = "命名空间 {namespace} 仍然存在",
        ["uninstall.no-containers"] = "没有残留的 faasd 容器",
        ["uninstall.no-shims"] = "没有残留的 shim 或日志收集进程",
        ["uninstall.shims-left"] = "残留 {count} 个：{processes}",
        ["uninstall.no-link"] = "没有 {link} 网络接口",
        ["uninstall.no-cni-iptables"] = "没有 {network} 的 CNI iptables 状态",
        ["uninstall.cni-rules-left"] = "有 {count} 条规则/链待删除，例如 {first}",
        ["uninstall.no-cni-state"] = "没有 {network} 的 CNI 状态",
        ["uninstall.no-files"] = "没有残留的套件文件",
        ["uninstall.files-left"] = "残留 {count} 个，例如 {first}",
        ["uninstall.chain-exists"] = "{tool} 链 {chain} 存在",
        ["uninstall.no-firewall"] = "没有防火墙链或单元",
        ["uninstall.to-restore"] = "待恢复：{items}",
        ["uninstall.nothing-to-restore"] = "没有需要恢复的内容",
        ["uninstall.running-or-enabled"] = "{unit} 正在运行或已启用",
        ["uninstall.containerd-stopped"] = "containerd 已停止并禁用（或不存在）",
        ["uninstall.faasd-stopped"] = "faasd 服务已停止并禁用（或不存在）",
        ["uninstall.mounts-left"] = "残留 {count} 个挂载，例如 {first}",
        ["uninstall.nothing-mounted"] = "{roots} 下没有挂载",
        ["nginx.still-there"] = "{path} 仍然存在",
        ["nginx.not-restored"] = "{files} 尚未恢复",
        ["nginx.no-site"] = "没有残留的 ControlPanel 站点",
        ["certificate.kept"] = "证书已保留（保留数据）",
        ["certificate.none-of-ours"] = "此主机上没有本面板的证书",
        ["certificate.present"] = "证书位于 {directories}",
        ["certificate.renewal-asked"] = "已请求续期 {domains}",
        ["snapshot.none"] = "此主机尚无快照",
        ["snapshot.taken"] = "快照拍摄于 {time}（{count} 项）",
        ["leftovers.always"] = "每次卸载都以一次新的比较结束",

        // Stage failures
        ["apt.mirror-unreachable"] = "apt 无法连接其镜像源：{output}",
        ["artifacts.checksum-mismatch"] = "{artifact}：校验和不匹配：应为 sha256 {expected}，实际为 {actual}（下载自 {source}）；文件已删除。该来源提供的文件不同或已损坏：请修正或去掉镜像（--download-mirror）后重新运行。",
        ["artifacts.not-listed"] = "{artifact}：校验和文件 {source} 中没有 {file}",
        ["artifacts.download-failed"] = "{artifact}：无法从任何来源下载：\n  {failures}",
        ["artifacts.download-failed-layout"] = "{artifact}：无法从任何来源下载：\n  {failures}\n请检查镜像的目录结构（--download-mirror）或清单。",
        ["artifacts.copy-differs"] = "{artifact}：主机上副本的 sha256 为 {actual}，应为 {expected}；已删除",
        ["host.arch-no-build"] = "主机的 CPU 架构 \"{machine}\" 没有 faasd 套件的构建（仅支持 amd64 和 arm64）",
        ["containerd.timeout"] = "containerd 在 {seconds} 秒内未响应 `ctr version`：请查看 `journalctl -u containerd`",
        ["faasd.needs-consent"] = "faasd {version} 不是开源软件，需要您的同意：\n{eula}",
        ["faasd.gateway-timeout"] = "网关在 {minutes} 分钟内未在 http://127.0.0.1:8080/healthz 响应：请查看 `journalctl -u faasd -u faasd-provider`（镜像可能拉取失败）",
        ["nginx.not-reloaded"] = "nginx 未能重新加载；已恢复之前的站点文件：\n  {error}",
        ["config.to-write"] = "{path}：待写入",
        ["config.to-restore"] = "{path}：待恢复原文件",
        ["config.to-delete"] = "{path}：待删除",
        ["config.to-take-out"] = "{path}：待移除我们写入的值",

        // Registry mirrors, runtime proxy, pull-through cache
        ["mirrors.containerd-none-to-reset"] = "没有需要重置的本面板写入的 containerd 镜像源",
        ["mirrors.containerd-as-asked"] = "containerd 的镜像源已符合要求",
        ["mirrors.containerd-legacy-together"] = "{file} 在 [{table}.mirrors] 中为 {registries} 列出了镜像源：containerd {version} 不允许它们与 config_path 同时存在；" +
            "请先将其移到 hosts.toml（controlpanel mirrors set --registry NAME --mirror URL）并删除该表。未做任何修改。",
        ["mirrors.containerd-not-installed"] = "此主机未安装 containerd（`containerd --version` 没有给出版本）：请先安装套件，或使用 --runtime docker",
        ["mirrors.docker-none-to-reset"] = "没有需要重置的本面板写入的 Docker 镜像源",
        ["mirrors.docker-as-asked"] = "Docker 的 registry-mirrors 已符合要求",
        ["proxy.none-to-reset"] = "没有需要重置的本面板写入的代理配置（drop-in）",
        ["proxy.as-asked"] = "代理配置（drop-in）已符合要求",
        ["cache.installed"] = "docker-registry 已安装",
        ["cache.not-installed"] = "docker-registry 未安装",
        ["cache.installed-by-us"] = "docker-registry 是由本面板安装的",
        ["cache.caching"] = "正在 {listen} 上缓存 {upstream}；{expiry}",
        ["cache.no-answer"] = "镜像仓库在 {listen} 上没有响应",
        ["cache.timeout"] = "镜像仓库在 {seconds} 秒内未在 {listen} 上响应：请查看 `journalctl -u docker-registry`",
        ["cache.none-of-ours"] = "没有本面板安装的拉取缓存",
        ["cache.expiry"] = "缓存内容在拉取 {days} 天后删除（docker-registry 2.8 中固定不变；上游可用时，每次拉取都会重新检查标签）",
        ["config.invalid"] = "{path} 不是有效的 {format}（{error}）：请先修正或删除它；文件未被修改",
        ["certificate.not-renewed"] = "续期后 {directory} 中没有 {domains} 的证书及其密钥",
        ["shims.survived"] = "以下进程在 SIGKILL 后仍然存活：{pids}",
        ["uninstall.unmount-failed"] = "无法卸载 {mount}（{output}）：仍有进程在使用；请用 `fuser -vm {mount}` 找到并停止它，然后重新运行卸载",
        ["uninstall.not-removed"] = "{stage}：{reason}",
        ["leftovers.still-there"] = "安装添加的 {count} 项内容仍然存在（报告：{report}）：",

        // Validation reasons (InputException), shown after the field's label
        ["input.invalid"] = "{field}：{reason}",
        ["input.invalid-value"] = "{field}：“{value}”{reason}",
        ["input.required"] = "为必填项",
        ["input.required-with"] = "填写{field}时为必填项",
        ["input.one-of"] = "必须是以下之一：{choices}",
        ["input.not-host-or-ip"] = "不是有效的主机名或 IP 地址",
        ["input.port-outside"] = "端口不在 1-65535 范围内",
        ["input.not-port-number"] = "必须是 1 到 65535 之间的端口号",
        ["input.does-not-exist"] = "不存在",
        ["input.empty"] = "为空",
        ["input.not-a-number"] = "不是数字",
        ["input.cannot-combine"] = "不能与 {option} 同时使用",
        ["input.names-no-host"] = "没有指定任何主机",
        ["input.not-a-batch"] = "不是批次（见 `controlpanel runs`）",
        ["input.not-in-inventory"] = "不在主机清单中（见 `controlpanel hosts list`）",
        ["input.not-a-stage"] = "不是运行 {run} 的步骤（步骤：{stages}）",
        ["input.at-least"] = "至少需要 {count} 个字符",
        ["input.at-most"] = "最多 {count} 个字符",
        ["input.not-host-name"] = "不是有效的域名",
        ["input.not-email"] = "不是有效的电子邮箱地址",
        ["input.not-http-url"] = "不是 http:// 或 https:// 地址",
        ["input.url-extras"] = "不能包含凭据、查询参数或片段",
        ["input.url-characters"] = "包含此处 URL 不允许的字符",
        ["input.no-control-characters"] = "不能包含控制字符或换行",
        ["input.registry-required"] = "为必填项（例如 docker.io、ghcr.io、registry.k8s.io、registry.lan:5000）",
        ["input.registry-not-host"] = "不是仓库主机名（主机 或 主机:端口，不带协议和路径）",
        ["input.registry-path-characters"] = "路径包含不允许的字符（只能是字母、数字和 - . _ ~ /）",
        ["input.mirror-required"] = "为必填项：至少一个镜像地址（http:// 或 https://）",
        ["input.mirror-docker-io-only"] = "无法由 Docker 加速：daemon.json 的 registry-mirrors 只适用于 docker.io；其他仓库请选择 containerd",
        ["input.not-versions-manifest"] = "不是有效的版本清单：{error}",
        ["input.not-sha256"] = "不是 sha256 值（64 个十六进制数字）",
        ["input.proxy-required"] = "或 {field} 为必填项",
        ["input.proxy-url-characters"] = "包含不允许的字符（用户名和密码中的这些字符请进行百分号编码）",
        ["input.not-proxy-url"] = "不是 http://、https:// 或 socks5:// 地址",
        ["input.proxy-url-shape"] = "格式必须为 协议://[用户:密码@]主机:端口，端口之后不能有其他内容",
        ["input.proxy-userinfo-encoding"] = "用户名或密码中含有必须进行百分号编码的字符",
        ["input.no-proxy-entry"] = "不是主机名、.域名、IP 地址或 CIDR",
        ["input.unknown-plan"] = "不是已知的计划（已知：{plans}）",
        ["input.absolute-path"] = "必须是不含 .. 的绝对路径",
        ["input.not-managed-certificate"] = "不是本面板管理的证书",
        ["input.acme-directory"] = "必须是 https:// 地址或以下之一：{choices}",
        ["input.no-pem-certificate"] = "不包含 PEM 证书",
        ["input.eab-kid"] = "必须为可打印字符、不含空格、最多 256 个字符",
        ["input.eab-hmac"] = "必须是证书颁发机构提供的 base64url HMAC 密钥（至少 16 字节）",
        ["input.cache-root-url"] = "必须是仓库的根地址（不带路径）：一个缓存对应一个完整的仓库",
        ["input.cache-username"] = "只能是字母、数字和 . _ @ + -（最多 128 个字符）",
        ["input.cache-account-both"] = "必须与另一项一起填写：上游账户需要用户名和密码",
        ["input.cache-listen"] = "必须是 主机:端口 或 :端口",
        ["input.cache-storage-path"] = "必须是由字母、数字和 - _ . / 组成的绝对路径",
        ["input.cache-system-folder"] = "是系统目录；请为缓存指定单独的目录",
        ["input.no-route"] = "至少需要一条路由",
        ["input.route-path-used"] = "已被{field}使用",
        ["input.panel-port"] = "必须是 1 到 65535 之间的空闲端口，且不能是 80、443、8080 和 8081",
        ["input.panel-upstream-path"] = "不能带路径：面板位于根路径",
        ["input.start-page-outside"] = "必须是该路由路径 {path} 之下的页面",
        ["input.not-json"] = "不是有效的 JSON（{error}）",
        ["input.too-long"] = "超过 {max} 个字符",
        ["input.route-path"] = "必须是形如 /app/ 的路径（以 / 开头和结尾，各段由字母、数字和 . _ ~ - 组成，不能有 . 或 .. 段）",
        ["input.upstream-characters"] = "只能包含字母、数字和 . _ ~ - : / [ ]（不能有空格、引号、; { } # $ \\ 或查询参数）",
        ["input.http-scheme"] = "必须以 http:// 或 https:// 开头",
        ["input.upstream-plain-path"] = "路径不规范（应为 /seg/seg/，不能有 . 或 .. 段）",
        ["input.ipv6-unclosed"] = "IPv6 地址中的 [ 没有闭合",
        ["input.ipv6-invalid"] = "IPv6 地址无效",
        ["input.upstream-host"] = "主机无效（应为 IP 地址或 RFC 1123 主机名）",
        ["input.upstream-port"] = "端口无效（1-65535）",
        ["input.ssh-target"] = "格式应为 ssh://用户@主机[:端口]",
        ["input.host-spec"] = "必须是 \"local\" 或 ssh://用户@主机[:端口]",
        ["input.batch-running"] = "仍在运行（{holder}）；请等待其结束或先取消",
        ["input.days-range"] = "必须是 1 到 {max} 之间的整数天数",
        ["input.detach-one-host"] = "只能用于一台主机：批量任务由启动它的进程跟踪",
        ["input.run-still-open"] = "仍处于{state}状态；请等待其结束或取消",
        ["input.batch-no-failed"] = "没有需要重新运行的失败主机",
        ["input.parallel-range"] = "必须在 1 到 {max} 之间",
        ["input.run-other-plans"] = "启动时使用的计划是“{catalog}”，此进程没有这些计划（它使用的是“{plans}”）；只能用启动时的计划重新运行",
        ["input.run-other-plans-binary"] = "启动时使用的计划是“{plans}”，此程序没有这些计划",
        ["input.fingerprint-no-match"] = "与 {address} 提供的任何密钥都不匹配（{keys}）；未固定任何密钥",
        ["input.not-fleet-host"] = "不是主机清单中的主机（见 `controlpanel hosts list`）、\"local\" 或 ssh://用户@主机[:端口]",
        ["input.named-twice"] = "被指定了两次",
        ["hosts.sign-in-failed"] = "无法通过 SSH 登录（密钥 {key}，已固定的主机密钥）：{reason}",
        ["hosts.command-failed"] = "已登录，但 `uname` 失败：{reason}",
        ["hosts.no-answer"] = "{seconds} 秒内没有应答",
        ["input.unpinned"] = "尚未固定主机密钥：请先用 `controlpanel hosts trust NAME` 检查并固定（若不在清单中，先 `hosts add`）",
        ["input.control-characters"] = "包含控制字符",
        ["input.inventory-line"] = "格式必须为：NAME user@host[:port] [key=PATH] [labels=a,b]",
        ["input.inventory-password"] = "被拒绝：从不保存密码；请用 key=PATH 为主机指定私钥，并把对应公钥放入该主机的 authorized_keys",
        ["input.inventory-option"] = "不是 key=PATH 或 labels=a,b 形式的选项",
        ["input.inventory-option-repeated"] = "选项重复",
        ["input.inventory-option-unknown"] = "不是已知选项（key=PATH、labels=a,b）",
        ["input.inventory-name-twice"] = "在主机清单中出现了两次",
        ["input.inventory-target-twice"] = "已以其他名称存在于主机清单中",
        ["input.inventory-no-hosts"] = "没有列出任何主机",
        ["input.label"] = "不是有效的标签（NAME 或 KEY=VALUE；NAME 和 KEY：小写字母、数字、'-'、'_'，1-32 个字符；VALUE：字母、数字、'.'、'-'、'_'，1-63 个字符）",
        ["input.label-no-host"] = "在 {pool} 中没有选中任何主机（{labels}）",
        ["input.label-none-there"] = "这些主机都没有标签",
        ["input.labels-there"] = "已有标签：{labels}",
        ["input.inventory-address"] = "格式必须为 user@host[:port]（SSH 用户为必填）",
        ["input.inventory-address-password"] = "包含密码（user:password@host），已拒绝：只能通过 SSH 密钥连接主机",
        ["input.inventory-name"] = "不是有效的清单主机名（小写字母、数字、'.'、'-'、'_'；1-63 个字符，以字母或数字开头）",
        ["input.inventory-name-local"] = "为本机保留",
        ["input.inventory-key-path"] = "必须是私钥文件的绝对路径，不能含空格或 '..'",
        ["input.inventory-name-taken"] = "已在主机清单中",
        ["input.inventory-address-taken"] = "已在主机清单中，名称为 {name}",
        ["input.inventory-host-differs"] = "已在主机清单中，为 {spec}（密钥 {key}）；如需修改请先删除",
        ["input.password-mismatch"] = "与密码不一致",
        ["input.username"] = "必须是 1-64 个字母、数字、'.'、'_' 或 '-'",
        ["input.no-such-user"] = "不是此面板的用户",
        ["cache.open-to-network"] = "缓存监听所有网络接口：任何能访问本机 {port} 端口的机器都可以通过它拉取镜像{account}。如只供本机使用，请监听 127.0.0.1:{port}，或在防火墙中只允许您的主机访问 {port} 端口",
        ["cache.open-with-account"] = "（使用上游账号）",
        ["input.not-a-run"] = "不是运行记录（见 `controlpanel runs`）",
        ["input.failed-required"] = "与 --batch 一起使用时为必填项（批次只重新运行失败的主机）",
        ["input.batch-from-stage"] = "不能与 --from 或 --stage 同时使用（每台失败的主机从各自失败的步骤继续）",
        ["input.run-id-required"] = "为必填项（或使用 --batch ID --failed）",
        ["input.not-running"] = "未在运行",
        ["input.password-refused"] = "被拒绝：从不保存密码；请使用 --key PATH，并把对应公钥放入该主机的 authorized_keys",
        ["input.fingerprint-required"] = "在没有终端确认的情况下信任主机密钥时为必填项（从不在未经查看时固定密钥）",
        ["input.yes-required"] = "在没有终端确认的情况下卸载时为必填项",
        ["input.needs-panel-port"] = "需要同时指定 --panel-port",
        ["input.domain-required-until"] = "在 {path} 存在之前为必填项",
    };

    /// <summary>
    /// Chinese templates of messages declared outside the product (by plans an entry point brings, see
    /// Composition/PlanSource), added once at start before the panel serves.
    /// </summary>
    public static void AddEngineTemplates(IReadOnlyDictionary<string, string> templates)
    {
        foreach (var (key, zh) in templates) EngineZh.Add(key, zh);
    }

    /// <summary>The Chinese template of each translated engine key (for the tests).</summary>
    public static IReadOnlyDictionary<string, string> EngineTemplates => EngineZh;

    /// <summary>
    /// Engine messages that tell a CLI user what to type (a flag, a `controlpanel` command): the panel says the same in
    /// its own words, the fields and pages where it is done, in both languages.
    /// </summary>
    static readonly Dictionary<string, Text> PanelWorded = new()
    {
        ["preflight.not-root"] = new("not running as root: set the target to ssh://root@HOST, or run the panel as root",
            "未以 root 身份运行：请将目标主机设为 ssh://root@主机，或以 root 运行面板"),
        ["artifacts.checksum-mismatch"] = new("{artifact}: checksum mismatch: expected sha256 {expected}, got {actual} (downloaded from {source}); the file was deleted. " +
            "The source serves a different or damaged file: fix or empty the Download mirror field and run again.",
            "{artifact}：校验和不匹配：应为 sha256 {expected}，实际为 {actual}（下载自 {source}）；文件已删除。该来源提供的文件不同或已损坏：请修正或清空“下载镜像”后重新运行。"),
        ["artifacts.download-failed-layout"] = new("{artifact}: could not download from any source:\n  {failures}\nCheck the layout of the Download mirror or the manifest.",
            "{artifact}：无法从任何来源下载：\n  {failures}\n请检查“下载镜像”的目录结构或清单。"),
        ["mirrors.containerd-legacy-together"] = new("{file} lists mirrors in [{table}.mirrors] for {registries}: containerd {version} refuses those together with config_path; " +
            "move them to hosts.toml (set them again on this page, one registry at a time) and remove that table first. Nothing was changed.",
            "{file} 在 [{table}.mirrors] 中为 {registries} 列出了镜像源：containerd {version} 不允许它们与 config_path 同时存在；" +
            "请先将其移到 hosts.toml（在本页逐个仓库重新设置）并删除该表。未做任何修改。"),
        ["mirrors.containerd-not-installed"] = new("containerd is not installed here (`containerd --version` gave no version): install the stack first, or choose Docker as the runtime",
            "此主机未安装 containerd（`containerd --version` 没有给出版本）：请先安装套件，或选择 Docker 作为运行时"),
        ["input.not-in-inventory"] = new("is not in the inventory (see the Hosts page)", "不在主机清单中（见“主机”页）"),
        ["input.not-fleet-host"] = new("is not a host of the inventory (see the Hosts page), \"local\" or ssh://user@host[:port]",
            "不是主机清单中的主机（见“主机”页）、\"local\" 或 ssh://用户@主机[:端口]"),
        ["input.unpinned"] = new("has no pinned host key yet: check and pin it first with Trust on the Hosts page",
            "尚未固定主机密钥：请先在“主机”页用“信任”检查并固定"),
    };

    /// <summary>The keys the panel words its own way (for the tests).</summary>
    public static IReadOnlyCollection<string> PanelWordedKeys => PanelWorded.Keys;

    static string? PanelTemplate(string key) =>
        PanelWorded.TryGetValue(key, out var text) ? text.ToString() : PanelCultures.IsChinese ? EngineZh.GetValueOrDefault(key) : null;

    /// <summary>An engine message in the current language and the panel's words; parts without a translation keep the engine's English.</summary>
    public static string Engine(UserMessage? message) => message is null ? "" : message.Render(PanelTemplate);

    /// <summary>A validation reason in the current language; a field it names ({field}) shows as that field's label.</summary>
    public static string InputReason(UserMessage? reason) =>
        reason is null ? "" : Engine(reason.Args.TryGetValue("field", out var field)
            ? reason with { Args = new Dictionary<string, UserMessage>(reason.Args) { ["field"] = UserMessage.Verbatim(FieldLabel(field.Text)) } }
            : reason);

    /// <summary>Bad input as one line: the field's label and the reason, in the current language.</summary>
    public static string InputError(InputException e) => $"{FieldLabel(e.Field)}: {InputReason(e.Reason)}";

    /// <summary>
    /// A message kept in a run record: its English text, and its key and arguments (UserMessage JSON) when the engine
    /// gave one. Older rows have only the text.
    /// </summary>
    public static string Engine(string? english, string? json) =>
        UserMessage.FromJson(json) is { } message ? Engine(message) : english ?? "";
}
