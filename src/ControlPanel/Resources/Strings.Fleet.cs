using ControlPanel.Web.Localization;

namespace ControlPanel.Resources;

/// <summary>Strings of the hosts inventory and batch pages (kept beside Strings.cs so the pages' strings stay together).</summary>
public static partial class S
{
    public static readonly Text NavHosts = new(nameof(NavHosts));
    public static readonly Text HostsTitle = new(nameof(HostsTitle));
    public static readonly Text HostsIntro = new(nameof(HostsIntro));
    public static readonly Text NoHosts = new(nameof(NoHosts));
    public static readonly Text ColName = new(nameof(ColName));
    public static readonly Text ColKey = new(nameof(ColKey));
    public static readonly Text ColLabels = new(nameof(ColLabels));
    public static readonly Text ColHostKey = new(nameof(ColHostKey));
    public static readonly Text DefaultKey = new(nameof(DefaultKey));
    public static readonly Text NotTrusted = new(nameof(NotTrusted));
    public static readonly Text ColConnection = new(nameof(ColConnection));
    public static readonly Text TestConnection = new(nameof(TestConnection));
    public static readonly Text TestConnectionHint = new(nameof(TestConnectionHint));
    public static readonly Text ConnectionTesting = new(nameof(ConnectionTesting));
    public static readonly Text ConnectionOk = new(nameof(ConnectionOk));
    public static readonly Text AddHost = new(nameof(AddHost));
    public static readonly Text FieldHostName = new(nameof(FieldHostName));
    public static readonly Text FieldHostAddress = new(nameof(FieldHostAddress));
    public static readonly Text FieldKeyPath = new(nameof(FieldKeyPath));
    public static readonly Text FieldLabels = new(nameof(FieldLabels));
    public static readonly Text Trust = new(nameof(Trust));
    public static readonly Text Remove = new(nameof(Remove));
    public static readonly Text RemoveHostConfirm = new(nameof(RemoveHostConfirm));
    public static readonly Text TrustTitle = new(nameof(TrustTitle));
    public static readonly Text TrustIntro = new(nameof(TrustIntro));
    public static readonly Text TrustAlready = new(nameof(TrustAlready));
    public static readonly Text TrustConfirm = new(nameof(TrustConfirm));
    public static readonly Text TrustScanning = new(nameof(TrustScanning));
    public static readonly Text TrustPinned = new(nameof(TrustPinned));
    public static readonly Text BatchesTitle = new(nameof(BatchesTitle));
    public static readonly Text NoBatches = new(nameof(NoBatches));
    public static readonly Text BatchTitle = new(nameof(BatchTitle));
    public static readonly Text BatchIntro = new(nameof(BatchIntro));
    public static readonly Text BatchNotFound = new(nameof(BatchNotFound));
    public static readonly Text BatchWaiting = new(nameof(BatchWaiting));
    public static readonly Text BatchNotStarted = new(nameof(BatchNotStarted));
    public static readonly Text ColHost = new(nameof(ColHost));
    public static readonly Text ColRun = new(nameof(ColRun));
    public static readonly Text ColHosts = new(nameof(ColHosts));
    public static readonly Text RerunFailedHosts = new(nameof(RerunFailedHosts));
    public static readonly Text CancelBatch = new(nameof(CancelBatch));
    public static readonly Text CancelBatchConfirm = new(nameof(CancelBatchConfirm));
    public static readonly Text BatchCancelAsked = new(nameof(BatchCancelAsked));
    public static readonly Text RerunStarted = new(nameof(RerunStarted));
    public static readonly Text FilterByLabel = new(nameof(FilterByLabel));
    public static readonly Text SelectShown = new(nameof(SelectShown));
    public static readonly Text SelectNone = new(nameof(SelectNone));
    public static readonly Text FleetTitle = new(nameof(FleetTitle));
    public static readonly Text FleetIntro = new(nameof(FleetIntro));
    public static readonly Text FleetNoneSelected = new(nameof(FleetNoneSelected));
    public static readonly Text FleetPlan = new(nameof(FleetPlan));
    public static readonly Text FleetPasswordHint = new(nameof(FleetPasswordHint));
    public static readonly Text FleetParallel = new(nameof(FleetParallel));
    public static readonly Text FleetParallelHint = new(nameof(FleetParallelHint));
    public static readonly Text FleetLaunch = new(nameof(FleetLaunch));
    public static readonly Text FleetPreview = new(nameof(FleetPreview));
    public static readonly Text FleetCannotPreview = new(nameof(FleetCannotPreview));
    public static readonly Text FleetWouldFail = new(nameof(FleetWouldFail));
    public static readonly Text FleetWouldApply = new(nameof(FleetWouldApply));
}
