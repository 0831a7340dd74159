//! `/plans`: what each plan includes. (Upgrading through Stripe arrives with billing.)

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::routing::get;

use super::layout::{Layout, Visitor};
use crate::domain::plan::Plan;
use crate::error::PageError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/plans", get(plans))
}

pub struct PlanView {
    pub name: &'static str,
    pub price: &'static str,
    pub allowance: String,
    pub features: &'static [&'static str],
    pub current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "plans.html")]
struct PlansPage {
    layout: Layout,
    plans: Vec<PlanView>,
}

async fn plans(visitor: Visitor) -> Result<PlansPage, PageError> {
    let current = match &visitor.user {
        Some(user) => Some(visitor.plan_of(user).await?),
        None => None,
    };
    let plans = [Plan::Free, Plan::Basic, Plan::Pro]
        .into_iter()
        .map(|plan| PlanView {
            name: plan.display_name(),
            price: plan.display_price(),
            allowance: match plan.monthly_limit() {
                Some(limit) => format!("{limit} fursonas a month"),
                None => "Unlimited fursonas".to_owned(),
            },
            features: plan.features(),
            current: current == Some(plan),
        })
        .collect();
    Ok(PlansPage {
        layout: visitor.layout().await?,
        plans,
    })
}
