//! The collections workflow (issue 5): the day's agenda, the actions log, promises to pay, disputes and their
//! board, scenarios, pause. Each command is a thin adapter to `encaisse_app::App`; the user who acted is the
//! session's login name (ENCAISSE_USER when set, as for the CLI) unless the UI names one.

use super::{off_ui, parse_as_of};
use crate::Backend;
use encaisse_app::workflow::{
    ActionDto, ActionInput, AgendaView, DisputeDto, DisputeInput, DisputesBoard, PromiseCheck, PromiseDto,
    PromiseInput, ScenarioDto, Scenarios, WorkflowRecords,
};
use encaisse_app::AppResult;
use tauri::State;

/// The name written beside each record: the one given, else ENCAISSE_USER, else the OS login name.
fn user_or_session(given: &str) -> String {
    let given = given.trim();
    if !given.is_empty() {
        return given.to_string();
    }
    ["ENCAISSE_USER", "USER", "USERNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_default()
}

#[tauri::command]
pub async fn agenda_view(backend: State<'_, Backend>, as_of: Option<String>) -> AppResult<AgendaView> {
    let date = parse_as_of(as_of)?;
    off_ui(&backend, move |app| app.agenda_view(date)).await
}

#[tauri::command]
pub async fn record_action(backend: State<'_, Backend>, mut input: ActionInput) -> AppResult<ActionDto> {
    input.user = user_or_session(&input.user);
    off_ui(&backend, move |app| app.record_action(&input)).await
}

#[tauri::command]
pub async fn mark_done(
    backend: State<'_, Backend>,
    customer: String,
    as_of: Option<String>,
) -> AppResult<ActionDto> {
    let date = parse_as_of(as_of)?;
    let user = user_or_session("");
    off_ui(&backend, move |app| app.mark_done(&customer, date, &user)).await
}

#[tauri::command]
pub async fn add_promise(backend: State<'_, Backend>, mut input: PromiseInput) -> AppResult<PromiseDto> {
    input.user = user_or_session(&input.user);
    off_ui(&backend, move |app| app.add_promise(&input)).await
}

#[tauri::command]
pub async fn check_promises(
    backend: State<'_, Backend>,
    as_of: Option<String>,
    record: bool,
) -> AppResult<PromiseCheck> {
    let date = parse_as_of(as_of)?;
    off_ui(&backend, move |app| app.check_promises(date, record)).await
}

#[tauri::command]
pub async fn open_dispute(backend: State<'_, Backend>, mut input: DisputeInput) -> AppResult<DisputeDto> {
    input.user = user_or_session(&input.user);
    off_ui(&backend, move |app| app.open_dispute(&input)).await
}

#[tauri::command]
pub async fn close_dispute(
    backend: State<'_, Backend>,
    id: i64,
    closed_on: Option<String>,
    resolution: String,
) -> AppResult<DisputeDto> {
    let date = parse_as_of(closed_on)?;
    off_ui(&backend, move |app| app.close_dispute(id, date, &resolution)).await
}

#[tauri::command]
pub async fn comment_dispute(backend: State<'_, Backend>, id: i64, body: String) -> AppResult<DisputeDto> {
    let user = user_or_session("");
    off_ui(&backend, move |app| app.comment_dispute(id, &user, &body)).await
}

#[tauri::command]
pub async fn disputes_board(backend: State<'_, Backend>, as_of: Option<String>) -> AppResult<DisputesBoard> {
    let date = parse_as_of(as_of)?;
    off_ui(&backend, move |app| app.disputes_board(date)).await
}

#[tauri::command]
pub async fn workflow_records(
    backend: State<'_, Backend>,
    customer: String,
    invoice: Option<String>,
) -> AppResult<WorkflowRecords> {
    off_ui(&backend, move |app| {
        app.workflow_records(&customer, invoice.as_deref())
    })
    .await
}

#[tauri::command]
pub async fn set_customer_paused(
    backend: State<'_, Backend>,
    customer: String,
    paused: bool,
    reason: String,
) -> AppResult<()> {
    off_ui(&backend, move |app| {
        app.set_customer_paused(&customer, paused, &reason)
    })
    .await
}

#[tauri::command]
pub async fn set_customer_scenario(
    backend: State<'_, Backend>,
    customer: String,
    scenario: Option<String>,
) -> AppResult<()> {
    off_ui(&backend, move |app| {
        app.set_customer_scenario(&customer, scenario.as_deref())
    })
    .await
}

#[tauri::command]
pub async fn scenarios(backend: State<'_, Backend>) -> AppResult<Scenarios> {
    off_ui(&backend, |app| app.scenarios()).await
}

/// Saves a scenario and answers with the scenarios as they now are.
#[tauri::command]
pub async fn save_scenario(backend: State<'_, Backend>, scenario: ScenarioDto) -> AppResult<Scenarios> {
    off_ui(&backend, move |app| {
        app.save_scenario(&scenario)?;
        app.scenarios()
    })
    .await
}

/// Assigns a scenario to a segment or category (none removes it) and answers with the scenarios as they now are.
#[tauri::command]
pub async fn assign_scenario(
    backend: State<'_, Backend>,
    by: String,
    value: String,
    scenario: Option<String>,
) -> AppResult<Scenarios> {
    off_ui(&backend, move |app| {
        app.assign_scenario(&by, &value, scenario.as_deref())?;
        app.scenarios()
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::user_or_session;

    #[test]
    fn a_given_user_wins_over_the_session() {
        assert_eq!(user_or_session("  Marie  "), "Marie");
    }
}
