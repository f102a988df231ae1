//! Every form of `actions(...)`, `functions(...)`, `alternate_keys(...)` and `parameters`,
//! declared and called as an SDK's user would.

use graph_resource::{
    Bytes, Client, Date, DateTimeOffset, EntityPath, Error, Guid, Page, ValueOf, WithResponse,
    graph_resource,
};

#[graph_resource]
#[derive(Debug, Clone, Default)]
pub struct DeviceConfigurationAssignment {
    pub id: Option<String>,
}

#[graph_resource]
#[derive(Debug, Clone, Default)]
pub struct BulkResult {
    pub id: Option<String>,
}

#[graph_resource]
#[derive(Debug, Clone, Default)]
pub struct Reminder {
    pub event_id: Option<String>,
}

#[graph_resource]
#[derive(Debug, Clone, Default)]
pub struct ManagedApp {
    pub id: Option<String>,
}

#[graph_resource]
#[derive(Debug, Clone, Copy)]
pub enum AppKind {
    Ios,
    Android,
}

#[graph_resource(parameters)]
#[derive(Debug, Clone, Default)]
pub struct WipeBody {
    pub keep_user_data: Option<bool>,
}

#[graph_resource(parameters)]
#[derive(Debug, Clone, Default)]
pub struct AssignBody {
    pub assignments: Option<Vec<DeviceConfigurationAssignment>>,
}

#[graph_resource(parameters)]
#[derive(Debug, Clone, Default)]
pub struct ExecuteActionBody {
    pub device_ids: Option<Vec<String>>,
}

#[graph_resource(
    path = "/deviceManagement/managedDevices",
    actions(
        sync_device,
        wipe(WipeBody),
        assign(AssignBody) -> Page<DeviceConfigurationAssignment>,
        #[collection] execute_action(ExecuteActionBody) -> ValueOf<Vec<BulkResult>>,
        #[name = "createDownloadUrl"] download_url() -> ValueOf<String>,
        /// Clones the device's record; Graph answers `202 Accepted`.
        clone_record(serde_json::Value) -> WithResponse<()>,
    ),
    functions(
        #[collection] delta() -> Page<Self>,
        reminder_view(#[name = "StartDateTime"] start: &str, #[name = "EndDateTime"] end: &str) -> ValueOf<Vec<Reminder>>,
        get_managed_apps_by_kind(kind: AppKind, since: DateTimeOffset, id: Guid, r#type: String) -> Page<ManagedApp>,
        count_apps(),
    ),
    alternate_keys(serialNumber, imei),
)]
#[derive(Debug, Clone, Default)]
pub struct ManagedDevice {
    pub id: Option<String>,
}

#[graph_resource(
    path = "/users",
    operations(get),
    alternate_keys(userPrincipalName),
)]
#[derive(Debug, Clone, Default)]
pub struct User {
    pub id: Option<String>,
}

#[graph_resource(path = "/users/{user_id}/devices", alternate_keys(deviceId))]
#[derive(Debug, Clone, Default)]
pub struct Device {
    pub id: Option<String>,
}

#[graph_resource(functions(
    get_office365_active_user_detail(period: &str) -> Bytes,
    #[name = "getOffice365ActiveUserDetail"]
    get_office365_active_user_detail_on(date: Date) -> Bytes,
))]
#[derive(Debug, Clone, Default)]
pub struct ReportRoot {
    pub id: Option<String>,
}

async fn calls(client: &Client) -> Result<(), Error> {
    let device = || ManagedDevice::at(client, "d1");
    device().call(ManagedDevice::SYNC_DEVICE, &()).await?;
    device().call(ManagedDevice::WIPE, &WipeBody::default()).await?;
    let _: Page<DeviceConfigurationAssignment> =
        device().call(ManagedDevice::ASSIGN, &AssignBody::default()).await?;
    let _: Vec<BulkResult> = ManagedDevice::collection(client)
        .call(ManagedDevice::EXECUTE_ACTION, &ExecuteActionBody::default())
        .await?;
    let _: String = device().call(ManagedDevice::DOWNLOAD_URL, &()).await?;
    let accepted = device()
        .call(ManagedDevice::CLONE_RECORD, &serde_json::json!({}))
        .await?;
    let _ = accepted.location();
    let _: Page<ManagedDevice> = ManagedDevice::collection(client)
        .call_function(ManagedDevice::delta())
        .await?;
    let _: Vec<Reminder> = device()
        .call_function(ManagedDevice::reminder_view("2024-01-01", "2024-01-02"))
        .await?;
    let apps = ManagedDevice::get_managed_apps_by_kind(
        AppKind::Ios,
        DateTimeOffset::new("2024-02-29T13:45:00Z")?,
        Guid::new("5f8ab8a0-2d6c-4bb5-9c7e-1b1f2b6c5e2a")?,
        "managed".to_owned(),
    );
    let _: Page<ManagedApp> = device().call_function(apps).await?;
    device().call_function(ManagedDevice::count_apps()).await?;
    ManagedDevice::by_serial_number(client, "SN1").get().await?;
    ManagedDevice::by_imei(client, "35-2099").delete().await?;
    let _: EntityPath<User> = User::by_user_principal_name(client, "o'brien@contoso.com");
    Device::by_device_id(client, "u1", "dev1").get().await?;
    let reports = EntityPath::<ReportRoot>::root(client, "/reports");
    let _: Bytes = reports
        .clone()
        .call_function(ReportRoot::get_office365_active_user_detail("D7"))
        .await?;
    let _: Bytes = reports
        .call_function(ReportRoot::get_office365_active_user_detail_on(Date::new("2024-02-29")?))
        .await?;
    Ok(())
}

fn main() {
    let _ = calls;
}
